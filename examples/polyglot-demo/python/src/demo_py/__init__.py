"""Python side of the demo."""

__version__ = "1.1.0"


def greet(name: str) -> str:
    return f"hello, {name}"
