# feature: async250
"""flake8-async ASYNC250 (input() in async functions), translated."""


async def ask():
    answer = input()  # expect: BIO117
    input("hello world")  # expect: BIO117
    return answer


def ask_sync():
    return input("> ")  # ok: sync function
