"""How the matrix builds the wallet pages' URLs (see duixian.authz.access for the format).

Who may open them is the actions their views declare (duixian/wallet/permissions.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role
from duixian.applications.access import draft

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def document(scope):
    """A 营业执照 in the scope's organisation's wallet."""
    from duixian.wallet.services import wallet_document_add

    user = scope.users[Role.APPLICANT]
    return wallet_document_add(user.organisation, doc_type="business_licence", title="矩阵营业执照",
                               issuer="合肥市市场监督管理局", user=user,
                               upload=SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf"))


URL_ACCESS = [
    UrlAccess("wallet:list", note="the signed-in applicant's own organisation's wallet"),
    UrlAccess("wallet:download", make=lambda scope: {"pk": document(scope).pk}),
    UrlAccess("wallet:retire", post_only=True, make=lambda scope: {"pk": document(scope).pk}),
    UrlAccess("wallet:attach", post_only=True,
              make=lambda scope: {"pk": draft(scope).pk, "slot": "business_licence"},
              note="copies a wallet document into a draft's material slot"),
]
