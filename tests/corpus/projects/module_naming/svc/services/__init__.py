# feature: module-naming
