"""PyTorch side of `stain bench`: same model, same threads, same output line.

  python scripts/bench/pytorch_generator.py generator --size 256 --runs 5 --threads 2
  python scripts/bench/pytorch_generator.py train-step --step student --size 256 --runs 3 --threads 2
  python scripts/bench/pytorch_generator.py colorizer --size 256 --runs 5 --threads 2

generator:  G (batch 1, 4->3, ngf 64, 9 blocks, PyTorch default init), one warm-up pass, then the median seconds per
            forward pass (no_grad) and GFLOP/s computed with the true-multiply convention (2 x real MACs, ConvT on the
            input grid: 99.51 GFLOP at 256^2).
colorizer:  the teacher (SIGGRAPH colorizer + LAB wrapper), no_grad forward; GFLOP/s with true multiplies,
            without the unused model_class head (the reference computes it; its cost is left out here and in Swift).
train-step: G (4->3) and F (3->3); loss = L1(F(G(xz)), x) + L1(G(xz), y); backward; Adam(lr 1e-4, betas 0.5/0.999)
            step on G+F; median seconds per step.
"""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures'))
from stainmodels_torch import Discriminator, Generator, SIGGRAPHColorizer, rgb_to_l  # noqa: E402


def true_macs(size, input_nc=4, output_nc=3, ngf=64, blocks=9):
    """Real multiply-accumulates of G at size x size (size divisible by 4)."""
    h1, h2, h4 = size * size, (size // 2) ** 2, (size // 4) ** 2
    macs = h1 * input_nc * ngf * 49                      # c7s1
    macs += h2 * ngf * 2 * ngf * 9                       # d128
    macs += h4 * 2 * ngf * 4 * ngf * 9                   # d256
    macs += blocks * 2 * h4 * (4 * ngf) ** 2 * 9         # res blocks
    macs += h4 * 4 * ngf * 2 * ngf * 9                   # u128 (ConvT, input grid)
    macs += h2 * 2 * ngf * ngf * 9                       # u64  (ConvT, input grid)
    macs += h1 * ngf * output_nc * 49                    # c7s1-3
    return macs


def bench_generator(args):
    g = Generator(4, 3).eval()
    x = torch.rand(1, 4, args.size, args.size) * 2 - 1
    times = []
    with torch.no_grad():
        g(x)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            g(x)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    gflop = 2 * true_macs(args.size) / 1e9
    print(f'generator size={args.size} threads={args.threads} runs={args.runs} median_s={med:.4f} '
          f'gflops={gflop / med:.1f} (true-multiply {gflop:.2f} GFLOP/pass) impl=pytorch-{torch.__version__}')


def colorizer_true_macs(size):
    """Real multiply-accumulates of the colorizer without model_class (size divisible by 8)."""
    s1, s2, s3, s4 = size ** 2, (size // 2) ** 2, (size // 4) ** 2, (size // 8) ** 2
    m = s1 * 9 * (3 * 64 + 64 * 64) + s2 * 9 * (64 * 128 + 128 * 128) + s3 * 9 * (128 * 256 + 2 * 256 * 256)
    m += s4 * 9 * (256 * 512 + 2 * 512 * 512) + 3 * s4 * 9 * 3 * 512 * 512       # model4 .. model7
    m += s4 * 16 * 512 * 256 + s3 * 9 * 256 * 256 * 3                            # 8up (input grid), 3short8, model8
    m += s3 * 16 * 256 * 128 + s2 * 9 * 128 * 128 * 2                            # 9up, 2short9, model9
    m += s2 * 16 * 128 * 128 + s1 * 9 * (64 * 128 + 128 * 128) + s1 * 128 * 2    # 10up, 1short10, model10, out
    return m


def bench_colorizer(args):
    c = SIGGRAPHColorizer().eval()
    c.model_class = torch.nn.Sequential()  # computed and discarded by the reference; skipped on both sides
    x = torch.rand(1, 3, args.size, args.size) * 2 - 1
    times = []
    with torch.no_grad():
        c(x)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            c(x)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    gflop = 2 * colorizer_true_macs(args.size) / 1e9
    print(f'colorizer size={args.size} threads={args.threads} runs={args.runs} median_s={med:.4f} '
          f'gflops={gflop / med:.1f} (true-multiply {gflop:.2f} GFLOP/pass) impl=pytorch-{torch.__version__}')


def bench_train_step(args):
    """--step student: the paper code's whole unpaired step (trainer/CycTrainer.py) with the teacher's target given
    (cached, as stain train does): G+F (LSGAN on mean-pooled PatchGAN outputs, 80 L1 cycle, 5 L1 distillation),
    Adam; then D_A and D_B (real + pooled fake, not halved), each with Adam. The discriminators collect stray
    gradients in the G step as in the paper code. --step teacher: the colorizer's L1 on ab. --step gf: G+F only."""
    s = args.size
    x = torch.rand(1, 3, s, s) * 2 - 1
    z = torch.rand(1, 1, s, s) * 2 - 1
    y = torch.rand(1, 3, s, s) * 2 - 1
    target = torch.rand(1, 3, s, s) * 2 - 1
    betas = (0.5, 0.999)
    if args.step in ('student', 'gf'):
        g, f = Generator(4, 3), Generator(3, 3)
        opt = torch.optim.Adam(list(g.parameters()) + list(f.parameters()), lr=1e-4, betas=betas)
        xz = torch.cat((x, z), 1)
    if args.step == 'student':
        d_a, d_b = Discriminator(3), Discriminator(3)
        opt_a = torch.optim.Adam(d_a.parameters(), lr=1e-4, betas=betas)
        opt_b = torch.optim.Adam(d_b.parameters(), lr=1e-4, betas=betas)
        mse, ones, zeros = torch.nn.MSELoss(), torch.ones(1, 1), torch.zeros(1, 1)

        def step():
            opt.zero_grad()
            fake = g(xz)
            rec = f(fake)
            loss = mse(d_b(fake), ones) + mse(d_a(rec), ones) + 80 * (rec - x).abs().mean() \
                + 5 * (target - fake).abs().mean()
            loss.backward()
            opt.step()
            opt_a.zero_grad()
            (mse(d_a(x), ones) + mse(d_a(rec.detach()), zeros)).backward()
            opt_a.step()
            opt_b.zero_grad()
            (mse(d_b(y), ones) + mse(d_b(fake.detach()), zeros)).backward()
            opt_b.step()
    elif args.step == 'teacher':
        t = SIGGRAPHColorizer()
        opt = torch.optim.Adam(t.parameters(), lr=1e-4, betas=betas)
        l = rgb_to_l(y)
        net_in = torch.cat((l, torch.zeros_like(l), torch.zeros_like(l)), 1)
        ab_target = torch.rand(1, 2, s, s) * 0.4 - 0.2

        def step():
            opt.zero_grad()
            (t.network(net_in) - ab_target).abs().mean().backward()
            opt.step()
    else:
        def step():
            opt.zero_grad()
            fake = g(xz)
            loss = (f(fake) - x).abs().mean() + (fake - y).abs().mean()
            loss.backward()
            opt.step()

    step()
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    print(f'train-step step={args.step} size={args.size} threads={args.threads} runs={args.runs} '
          f'median_s={statistics.median(times):.4f} impl=pytorch-{torch.__version__}')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['generator', 'train-step', 'colorizer'])
    p.add_argument('--size', type=int, default=256)
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--step', choices=['student', 'teacher', 'gf'], default='student')
    args = p.parse_args()
    if args.size % 4 != 0:
        p.error('--size must be a multiple of 4')
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    {'generator': bench_generator, 'train-step': bench_train_step, 'colorizer': bench_colorizer}[args.mode](args)


if __name__ == '__main__':
    main()
