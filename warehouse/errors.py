"""Errors the warehouse raises for the CLI to turn into clear messages."""


class WarehouseError(Exception):
    """Base class: something about the warehouse file stops the command."""


class WarehouseMissing(WarehouseError):
    pass


class WarehouseBusy(WarehouseError):
    pass


class CrawlAlreadyRunning(WarehouseError):
    pass


class StagedPageMissing(WarehouseError):
    """A staged page's body file is gone (deleted by hand, or a lost disk): the crawl cannot resume."""


class LakeError(Exception):
    """Publishing to or reading from the lake failed; the lake is left at its last snapshot."""


class LakeCatalogError(LakeError):
    """The lake's catalog (PostgreSQL or a .ducklake file) is unreachable, refused us, or is busy."""


class LakeStorageError(LakeError):
    """The lake's data path (S3 or a folder) is unreachable or refused the credentials."""


class LakeRefused(LakeError):
    """The lake is another warehouse's, written by a newer format, or (for readers) never published."""
