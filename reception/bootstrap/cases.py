"""Wiring of the case-file services (called once from bootstrap.Container)."""

from __future__ import annotations

from reception.adapters.forms_pdf import PdfForms
from reception.adapters.storage.documents import DocumentStore, sniff_media_type
from reception.adapters.storage.uploads import DiskFileStore
from reception.adapters.vault import IdentitySealer
from reception.services.cases.files import CaseFiles
from reception.services.cases.intake import IntakeService
from reception.services.cases.public import PublicStatusService
from reception.services.cases.reports import CaseReports
from reception.services.cases.workflow import CaseService
from reception.services.ports import Clock, UnitOfWorkFactory
from reception.services.registry import CaseServices
from reception.services.signing.issuing import DocumentIssuer
from reception.settings import Settings


def identity_sealer(settings: Settings) -> IdentitySealer:
    return IdentitySealer(settings.denouncer_vault_key())


def document_store(settings: Settings) -> DocumentStore:
    return DocumentStore(settings.data_dir / "case_documents")


def build_case_services(settings: Settings, uow: UnitOfWorkFactory, clock: Clock,
                        issuer: DocumentIssuer) -> CaseServices:
    store = document_store(settings)
    workflow = CaseService(uow, clock)
    return CaseServices(
        workflow,
        CaseFiles(uow, clock, store, sniff_media_type, PdfForms(), settings.case_document_max_bytes,
                  issuer, settings.base_url()),
        CaseReports(uow, clock),
        PublicStatusService(uow, clock, store),
        IntakeService(uow, clock, workflow, DiskFileStore(settings.data_dir / "uploads"), store),
    )
