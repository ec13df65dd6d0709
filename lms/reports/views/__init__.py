"""The report screens, one module each."""

from .knowledge_gain import knowledge_gain
from .reach import reach

__all__ = ["knowledge_gain", "reach"]
