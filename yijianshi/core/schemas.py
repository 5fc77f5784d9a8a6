from ninja import Field, Schema


class ErrorOut(Schema):
    """The one error shape of the API."""

    code: str = Field(..., description="机器可读的错误编码")
    message: str = Field(..., description="中文错误说明")
    fields: dict[str, str] = Field(default_factory=dict, description="各字段的错误说明，键为字段路径")
