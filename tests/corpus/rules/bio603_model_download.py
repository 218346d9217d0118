# feature: model-download
"""Token counting and embeddings that load models on the loop."""

import tiktoken
from sentence_transformers import SentenceTransformer
from transformers import AutoTokenizer

ENC = tiktoken.get_encoding("cl100k_base")  # ok: module-level code runs at import


async def count_tokens(text: str) -> int:
    return len(tiktoken.get_encoding("cl100k_base").encode(text))  # expect: BIO603


async def count_tokens_for(model: str, text: str) -> int:
    return len(tiktoken.encoding_for_model(model).encode(text))  # expect: BIO603


async def tokenizer(name: str):
    return AutoTokenizer.from_pretrained(name)  # expect: BIO603


async def embedder():
    return SentenceTransformer("all-MiniLM-L6-v2")  # expect: BIO603


async def count_tokens_cached(text: str) -> int:
    return len(ENC.encode(text))  # ok: encoding loaded at start-up; encode is CPU only
