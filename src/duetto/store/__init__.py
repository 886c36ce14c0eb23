"""Storage: the database behind one repository layer, and a content-addressed blob store."""

from duetto.store.blobs import BlobStore
from duetto.store.repository import Repository

__all__ = ["BlobStore", "Repository"]
