"""巡察工作台 (Xuncha Workbench)."""

__version__ = "0.1.0"
