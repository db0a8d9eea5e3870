"""The one pagination of every API list: limit/offset, both bounded so that no request can ask
the database for an absurd page (an offset beyond 64-bit integers used to be a server error)."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1


class BoundedPagination(LimitOffsetPagination):
    """``limit`` 1–500 (default 50), ``offset`` 0–2³¹−1; out of range is a 422 naming the field."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
