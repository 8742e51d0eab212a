"""Who may open the wallet pages (see duixian.accounts.access for the format).

The wallet is the organisation's own: its applicants only. Clerks and the province see the
copies attached to submitted applications, on the materials pages, with where each came from."""

from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.accounts.access import OWN, UrlAccess
from duixian.accounts.roles import Role
from duixian.applications.access import draft

APPLICANT = {Role.APPLICANT: OWN}
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def document(scope):
    """A 营业执照 in the scope's organisation's wallet."""
    from duixian.wallet.services import wallet_document_add

    user = scope.users[Role.APPLICANT]
    return wallet_document_add(user.organisation, doc_type="business_licence", title="矩阵营业执照",
                               issuer="合肥市市场监督管理局", user=user,
                               upload=SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf"))


URL_ACCESS = [
    UrlAccess("wallet:list", roles=APPLICANT, note="the signed-in applicant's own organisation's wallet"),
    UrlAccess("wallet:download", roles=APPLICANT, make=lambda scope: {"pk": document(scope).pk}),
    UrlAccess("wallet:retire", roles=APPLICANT, post_only=True, make=lambda scope: {"pk": document(scope).pk}),
    UrlAccess("wallet:attach", roles=APPLICANT, post_only=True,
              make=lambda scope: {"pk": draft(scope).pk, "slot": "business_licence"},
              note="copies a wallet document into a draft's material slot"),
]
