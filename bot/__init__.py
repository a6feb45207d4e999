"""chibo — "Trợ lý chi bộ": a chat assistant that helps a ward party committee grow its membership."""

__version__ = "0.1.0"
