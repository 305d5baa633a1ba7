"""Pretrains a small GPT-2-layout language model on one CUDA GPU (bench/pretrain/README.md).

    python3 bench/pretrain/pretrain_gpt2.py CORPUS.txt.xz RANKS.tiktoken OUT_DIR [--seconds 390] [--layers 6] [--width 384]

This is the scale-out path of docs/architecture.md for training: a PyTorch trainer on a GPU machine takes the corpus
and writes Hugging Face GPT-2 safetensors, which `planner train-classifier --init` (and `planner train --init`) read
back. The model is GPT-2's architecture exactly as the Engine builds it (pre-LayerNorm blocks, tanh GELU, learned
positions, tied output head, 64-wide heads, biases everywhere) so the weights load with no conversion but HF's Conv1D
transposes. Tokens are GPT-2's BPE, read from RANKS (the Engine's own tiktoken rank file), so no download is needed.

Training runs for a fixed wall-clock budget with a warm-up and cosine schedule over that budget, bfloat16 autocast,
fused AdamW; it writes OUT_DIR/model.safetensors (float16, HF layout, no lm_head: it is tied), config.json, and
metrics.json (tokens seen, train/validation loss over time).
"""
import argparse, base64, json, lzma, math, os, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EOT = 50256
GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def tokenizer(ranks_path):
    import tiktoken
    ranks = {}
    with open(ranks_path, encoding="ascii") as f:
        for line in f:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    enc = tiktoken.Encoding("gpt2-local", pat_str=GPT2_PATTERN, mergeable_ranks=ranks, special_tokens={"<|endoftext|>": EOT})
    assert enc.encode_ordinary("Hello world") == [15496, 995], enc.encode_ordinary("Hello world")
    return enc


def tokens(corpus_path, enc, every=100):
    """Train and validation token streams: every 100th document is held out; each document ends with <|endoftext|>."""
    with lzma.open(corpus_path, "rt", encoding="utf-8") as f:
        docs = [d for d in f.read().split("\n\x1e\n") if d.strip()]
    train_docs = [d for i, d in enumerate(docs) if i % every]
    val_docs = docs[::every]
    def stream(ds):
        ids = enc.encode_ordinary_batch(ds, num_threads=os.cpu_count() or 8)
        flat = np.concatenate([np.asarray(doc + [EOT], dtype=np.int32) for doc in ids])
        return torch.from_numpy(flat)
    return stream(train_docs), stream(val_docs), len(docs)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width, eps=1e-5)
        self.c_attn = nn.Linear(width, 3 * width)
        self.attn_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width, eps=1e-5)
        self.c_fc = nn.Linear(width, 4 * width)
        self.mlp_proj = nn.Linear(4 * width, width)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))   # (B, nh, T, hs)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.attn_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, width):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.h = nn.ModuleList(Block(width, width // 64) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width, eps=1e-5)
        for name, p in self.named_parameters():           # GPT-2 initialisation, as the Engine's Gpt does
            if name.endswith("bias"): nn.init.zeros_(p)
            elif "ln_" in name: nn.init.ones_(p)
            else: nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * layers) if name.endswith("proj.weight") else 0.02)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=idx.device))
        for block in self.h: x = block(x)
        logits = F.linear(self.ln_f(x), self.wte.weight)    # tied head
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.reshape(-1))   # autocast runs it in float32

    def hf_state(self):
        """GPT-2's Hugging Face names and Conv1D layout ([in, out]), float16, lm_head left out (tied)."""
        out = {"transformer.wte.weight": self.wte.weight, "transformer.wpe.weight": self.wpe.weight,
               "transformer.ln_f.weight": self.ln_f.weight, "transformer.ln_f.bias": self.ln_f.bias}
        for i, b in enumerate(self.h):
            p = f"transformer.h.{i}."
            for ours, theirs, conv in [("ln_1", "ln_1", False), ("ln_2", "ln_2", False), ("c_attn", "attn.c_attn", True),
                                       ("attn_proj", "attn.c_proj", True), ("c_fc", "mlp.c_fc", True), ("mlp_proj", "mlp.c_proj", True)]:
                module = getattr(b, ours)
                out[p + theirs + ".weight"] = module.weight.t() if conv else module.weight
                out[p + theirs + ".bias"] = module.bias
        return {k: v.detach().to(torch.float16).contiguous().cpu() for k, v in out.items()}


def batches(data, batch, context, generator):
    starts = torch.randint(0, data.numel() - context - 1, (batch,), device=data.device, generator=generator)
    index = starts[:, None] + torch.arange(context + 1, device=data.device)[None, :]
    rows = data[index].long()
    return rows[:, :-1], rows[:, 1:]


@torch.no_grad()
def validation_loss(model, val, batch, context, count=40):
    g = torch.Generator(device=val.device).manual_seed(1234)                # the same batches every time
    model.eval()
    losses = []
    for _ in range(count):
        x, y = batches(val, batch, context, g)
        with torch.autocast("cuda", dtype=torch.bfloat16): losses.append(model(x, y).item())
    model.train()
    return sum(losses) / len(losses)


def hf_check(path, config, val, context):
    """Loads the written file into transformers' GPT2LMHeadModel (when installed) and returns its validation loss."""
    try:
        return _hf_check(path, config, val, context)
    except Exception as e:  # the check is a report, never a reason to lose the trained model
        return f"not checked: {type(e).__name__}: {e}"


def _hf_check(path, config, val, context):
    from safetensors.torch import load_file
    from transformers import GPT2Config, GPT2LMHeadModel
    hf = GPT2LMHeadModel(GPT2Config(**config)).cuda().eval()
    missing, unexpected = hf.load_state_dict({k: v.float() for k, v in load_file(path).items()}, strict=False)
    missing = [m for m in missing if not m.endswith((".attn.bias", ".attn.masked_bias", "lm_head.weight"))]
    if missing or unexpected: return f"does not fit transformers: missing {missing[:3]}, unexpected {unexpected[:3]}"
    hf.tie_weights()
    g = torch.Generator(device=val.device).manual_seed(1234)
    with torch.no_grad():
        x, y = batches(val, 32, context, g)
        return hf(input_ids=x, labels=x).loss.item()   # HF shifts the labels itself


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus"); ap.add_argument("ranks"); ap.add_argument("out")
    ap.add_argument("--seconds", type=float, default=390); ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--width", type=int, default=384); ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--batch", type=int, default=256); ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--deadline", type=float, default=None, help="seconds from start by which the model must be written")
    args = ap.parse_args()
    launched = time.time()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(1337)
    torch.backends.cuda.matmul.allow_tf32 = True
    log(f"torch {torch.__version__}, {torch.cuda.get_device_name(0)}")

    enc = tokenizer(args.ranks)
    train, val, docs = tokens(args.corpus, enc)
    log(f"{docs} documents: {train.numel():,} training tokens, {val.numel():,} validation tokens")
    train, val = train.cuda(), val.cuda()

    model = Gpt(50257, args.context, args.layers, args.width).cuda()
    params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), fused=True)
    step_fn = model
    if args.compile:
        try:
            step_fn = torch.compile(model)
            g = torch.Generator(device="cuda").manual_seed(0)
            x, y = batches(train, args.batch, args.context, g)
            with torch.autocast("cuda", dtype=torch.bfloat16): step_fn(x, y).backward()
            opt.zero_grad(set_to_none=True)
            log("torch.compile ready")
        except Exception as e:  # an eager step is slower, not wrong
            log(f"torch.compile failed ({type(e).__name__}: {e}); eager")
            step_fn = model
            opt.zero_grad(set_to_none=True)
    log(f"model: {args.layers} layers, width {args.width}, {params:,} parameters; batch {args.batch}x{args.context}")

    if args.deadline is not None:  # leave time to evaluate and write whatever happened before
        args.seconds = max(10.0, min(args.seconds, args.deadline - (time.time() - launched) - 45))
    log(f"training for {args.seconds:.0f} s")
    g = torch.Generator(device="cuda").manual_seed(42)
    history, seen, step = [], 0, 0
    start = time.time()
    next_eval = 0.0
    while True:
        elapsed = time.time() - start
        progress = elapsed / args.seconds
        if progress >= 1: break
        warm = 0.03
        lr = args.lr * (progress / warm if progress < warm else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (progress - warm) / (1 - warm))))
        for group in opt.param_groups: group["lr"] = lr
        x, y = batches(train, args.batch, args.context, g)
        with torch.autocast("cuda", dtype=torch.bfloat16): loss = step_fn(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        seen += x.numel()
        if elapsed >= next_eval:
            v = validation_loss(model, val, args.batch, args.context)
            rate = seen / max(elapsed, 1e-9)
            history.append({"seconds": round(elapsed, 1), "step": step, "tokens": seen, "train_loss": round(loss.item(), 4), "val_loss": round(v, 4), "lr": lr})
            log(f"step {step} {elapsed:6.0f}s tokens {seen:,} ({rate:,.0f}/s) train {loss.item():.3f} val {v:.3f} lr {lr:.2e}")
            next_eval += 30
    torch.cuda.synchronize()
    elapsed = time.time() - start
    final = validation_loss(model, val, args.batch, args.context)
    log(f"done: {step} steps, {seen:,} tokens in {elapsed:.0f}s ({seen / elapsed:,.0f} tokens/s), validation loss {final:.4f}")

    from safetensors.torch import save_file
    path = os.path.join(args.out, "model.safetensors")
    save_file(model.hf_state(), path, metadata={"format": "pt"})
    config = {"vocab_size": 50257, "n_positions": args.context, "n_embd": args.width, "n_layer": args.layers,
              "n_head": args.width // 64, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
              "bos_token_id": EOT, "eos_token_id": EOT, "tie_word_embeddings": True}
    with open(os.path.join(args.out, "config.json"), "w") as f: json.dump({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], **config}, f, indent=1)
    check = hf_check(path, config, val, args.context)
    log(f"transformers GPT2LMHeadModel on the written file: validation loss {check}")
    metrics = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "parameters": params, "layers": args.layers,
               "width": args.width, "context": args.context, "batch": args.batch, "lr": args.lr, "seconds": round(elapsed, 1),
               "steps": step, "tokens_seen": seen, "training_tokens": train.numel(), "validation_tokens": val.numel(),
               "final_val_loss": round(final, 4), "transformers_check": check, "history": history}
    with open(os.path.join(args.out, "metrics.json"), "w") as f: json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()
