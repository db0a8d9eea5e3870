"""Serving uploaded files (award attachments, rapid-test photos). Uploads live outside the web
root and have no public URL: a view checks the permission on the record that owns the file,
then hands the file over with :func:`serve_upload`.

How the bytes are sent is a deployment choice (``ZHIZAO_FILE_SERVING``, README):

- ``django``: Django streams the file itself (development, small sites);
- ``x-accel-redirect``: nginx sends it: the response carries ``X-Accel-Redirect`` to an
  ``internal`` location (``ZHIZAO_FILE_SERVING_PREFIX``, default ``/internal-media/``) whose
  ``alias`` is the media root;
- ``x-sendfile``: Apache's mod_xsendfile or lighttpd send it from the absolute path in
  ``X-Sendfile``.

Only common photo types are shown inline; anything else is a download, never rendered by the
browser (an uploaded HTML or SVG file must not run as a page of this site)."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
DJANGO, X_ACCEL_REDIRECT, X_SENDFILE = "django", "x-accel-redirect", "x-sendfile"
# Types a browser would run as part of this site: always sent as opaque bytes.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
    }
)


def _content_type(name: str, declared: str | None) -> str:
    if declared:
        return declared
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def serve_upload(
    file: FieldFile,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    inline: bool = False,
) -> HttpResponseBase:
    """The response that sends ``file``; the caller has checked the permission. ``inline``
    shows a photo in the browser (only for :data:`INLINE_TYPES`); otherwise a download named
    ``filename`` (default: the stored file's name)."""
    name = file.name
    if not file or not name or not file.storage.exists(name):
        raise Http404
    download_name = filename or PurePosixPath(name).name
    kind = _content_type(download_name, content_type)
    as_attachment = not (inline and kind in INLINE_TYPES)
    if kind in ACTIVE_TYPES:
        kind = "application/octet-stream"
    mode = settings.ZHIZAO_FILE_SERVING
    response: HttpResponseBase
    if mode == DJANGO:
        response = FileResponse(
            file.open("rb"),
            content_type=kind,
            as_attachment=as_attachment,
            filename=download_name,
        )
    else:
        response = HttpResponse(content_type=kind)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, download_name
        ) or ("attachment" if as_attachment else "inline")
        if mode == X_ACCEL_REDIRECT:
            prefix = settings.ZHIZAO_FILE_SERVING_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        else:
            response["X-Sendfile"] = file.storage.path(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
