from datetime import datetime
from uuid import UUID

from ninja import Field, Schema


class FileOut(Schema):
    id: UUID
    name: str = Field(..., description="文件名（扩展名按实际格式）")
    format: str = Field(..., description="按内容识别的格式：pdf、ofd、jpeg、png")
    content_type: str
    size: int = Field(..., description="字节数")
    pages: int | None = Field(None, description="页数（PDF、图片）")
    sha256: str
    sm3: str = Field(..., description="SM3 摘要（十六进制）")
    uploaded_at: datetime
