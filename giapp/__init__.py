"""giapp: the annual report on government information disclosure (政府信息公开工作年度报告)."""

__version__ = "0.1.0"
