"""Clean: site furniture out, white space folded, words untouched (rules in furniture.yaml)."""
from warledger.clean.rules import DEFAULT_RULES, FurnitureRules, load_rules
from warledger.clean.text import CleanResult, clean_document, clean_text, clean_with_removed

__all__ = ["DEFAULT_RULES", "CleanResult", "FurnitureRules", "clean_document", "clean_text",
           "clean_with_removed",
           "load_rules"]
