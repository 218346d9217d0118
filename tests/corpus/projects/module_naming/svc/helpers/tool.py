# feature: module-naming
"""`svc.helpers.tool`, a module with the same file name in another package: in memory."""


def run(requirement: str) -> str:
    return requirement.strip().lower()  # ok: str methods
