"""Errors that stop a crawl. Messages say what failed and what to do; they never hold the token."""


class CrawlError(Exception):
    """A crawl stopped; the staged pages and cursor are kept, so a rerun resumes."""


class HubAuthError(CrawlError):
    pass


class HubRequestError(CrawlError):
    """The Hub refused the request itself (4xx other than 401/408/429): retrying cannot help."""

    def __init__(self, message: str, status: int, detail: str = ""):
        super().__init__(message)
        self.status = status
        self.detail = detail  # what the Hub said, e.g. "Invalid expand value(s) for listing: usedStorage"


class HubUnreachable(CrawlError):
    pass


class GaveUp(CrawlError):
    """Too many consecutive failures on one page."""
