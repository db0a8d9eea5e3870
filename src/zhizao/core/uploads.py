"""The one check of an uploaded PDF (award attachments, plan evidence, fund documents and
vouchers, event materials): a PDF by its first bytes, not by its name, within a size limit.

Files that pass are stored under a random name in ``MEDIA_ROOT`` (outside the web root) and
served only through ``core.downloads`` after a permission check; that part is each app's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
PDF_MAX_BYTES = 10 * 1024 * 1024


def check_pdf_upload(
    upload: UploadedFile[bytes],
    *,
    max_bytes: int = PDF_MAX_BYTES,
    require_pdf_name: bool = False,
    field: str = "file",
) -> bytes:
    """The upload's content if it is a PDF (its content starts with ``%PDF-``) of at most
    ``max_bytes``; otherwise a ``ValidationError`` on ``field`` naming the file and why. With
    ``require_pdf_name`` the file name must also end in ``.pdf``."""
    name = upload.name or ""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            {
                field: [
                    _("%(name)s is %(size)d bytes; a PDF may be at most %(max)d bytes (%(mb)s MB).")
                    % {
                        "name": name,
                        "size": upload.size,
                        "max": max_bytes,
                        "mb": f"{max_bytes / (1024 * 1024):g}",
                    }
                ]
            }
        )
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise ValidationError(
            {
                field: [
                    _("%(name)s is not a PDF file (its content does not start with %%PDF-).")
                    % {"name": name}
                ]
            }
        )
    if require_pdf_name and not name.lower().endswith(".pdf"):
        raise ValidationError(
            {field: [_("%(name)s: the file name must end in .pdf.") % {"name": name}]}
        )
    upload.seek(0)
    content: bytes = upload.read()
    upload.seek(0)
    return content
