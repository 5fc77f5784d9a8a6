"""Files API: upload a document (checked by content) and read back one's own uploads."""

from uuid import UUID

from ninja import File, Router, Status
from ninja.files import UploadedFile

from yijianshi.accounts import scopes
from yijianshi.accounts.principal import Principal
from yijianshi.core.errors import Forbidden
from yijianshi.core.schemas import DOMAIN_RULES, ERROR_STATUSES, ErrorOut
from yijianshi.files import services
from yijianshi.files.access import access_own_file
from yijianshi.files.downloads import file_response
from yijianshi.files.schemas import FileOut

router = Router(tags=["文件"])

UPLOADING_SCOPES = (scopes.CASE_SUBMIT, scopes.CASE_ACCEPT, scopes.TASK_DECIDE)


@router.post(
    "/files",
    response={201: FileOut, ERROR_STATUSES: ErrorOut},
    summary="上传文件（PDF、OFD、JPEG、PNG，按内容识别）",
    description="以 multipart/form-data 上传，字段名 file。返回文件 id，提交办件或上传审批结果时引用。",
    openapi_extra=DOMAIN_RULES,
)
def file_upload(request, file: UploadedFile = File(...)):
    principal: Principal = request.auth
    if not any(principal.has_scope(scope) for scope in UPLOADING_SCOPES):
        raise Forbidden()
    stored = services.file_store(upload=file, name=file.name or "", user=principal.user, client=principal.client)
    return Status(201, stored)


@router.get("/files/{file_id}", response={200: FileOut, ERROR_STATUSES: ErrorOut}, summary="本人上传的文件信息")
def file_detail(request, file_id: UUID):
    return access_own_file(request.auth, file_id)


@router.get(
    "/files/{file_id}/content",
    response={200: None, ERROR_STATUSES: ErrorOut},
    summary="下载本人上传的文件",
    openapi_extra={"responses": {"200": {"description": "文件内容", "content": {"application/octet-stream": {}}}}},
)
def file_content(request, file_id: UUID):
    return file_response(access_own_file(request.auth, file_id))
