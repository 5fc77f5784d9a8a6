"""Fetch-and-authorize for files. A file is its uploader's until a case or a result makes it someone else's too;
those domains check their own access and then read the file through `file_for_case`-style selectors of their own."""

from yijianshi.accounts.principal import Principal
from yijianshi.core.errors import NotFound
from yijianshi.files.models import StoredFile


def access_own_file(principal: Principal, file_id) -> StoredFile:
    """A file the caller uploaded (as a user or as an API client); NotFound otherwise."""
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise NotFound()
    if principal.user is not None and stored.uploaded_by_id == principal.user.pk:
        return stored
    if principal.client is not None and stored.uploaded_by_client_id == principal.client.pk:
        return stored
    raise NotFound()
