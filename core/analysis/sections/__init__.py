"""One builder per report section: ``build_<key>(facts) -> Section``."""
