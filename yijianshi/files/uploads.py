"""An upload handler that stops reading a file once it passes the size limit, instead of spooling it to disk.

The file is skipped and the request remembers why, so the endpoint can answer with a message naming the limit
rather than "no file".
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.YJS_UPLOAD_MAX_BYTES:
            from yijianshi.files.services import too_large_message

            self.request.refused_uploads = {
                **getattr(self.request, "refused_uploads", {}),
                self.field_name: too_large_message(),
            }
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
