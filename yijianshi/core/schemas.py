from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt, StringConstraints

# No text the platform stores may hold a NUL character; PostgreSQL refuses them. The pattern says so in the
# OpenAPI document, and the parser refuses them even where no schema applies.
NO_NUL_PATTERN = r"^[^\x00]*$"

Text = Annotated[str, StringConstraints(pattern=NO_NUL_PATTERN)]

# A GB/T 2260 code extended to 12 digits (ASCII digits: the regex engine's \d would accept any script's).
REGION_CODE_PATTERN = r"^[0-9]{12}$"
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]


# A whole number in a request: true and false are not 1 and 0 (pydantic's lax mode would take them).
Integer = StrictInt


class InSchema(Schema):
    """Base of every request body: an unknown field is an error, not something silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """The one error shape of the API."""

    code: str = Field(..., description="机器可读的错误编码")
    message: str = Field(..., description="中文错误说明")
    fields: dict[str, str] = Field(default_factory=dict, description="各字段的错误说明，键为字段路径")


# Marks operations whose input must also satisfy rules no schema can state (a file's content, a case's state, the
# catalog's plan): a schema-valid request may still get 422 or 409. The API fuzz test relies on the mark.
DOMAIN_RULES = {"x-yjs-domain-rules": True}

# The error statuses any operation may answer with, all in the ErrorOut shape.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429})
