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
