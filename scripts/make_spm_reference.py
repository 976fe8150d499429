#!/usr/bin/python3
"""Reference values for kasf's kinematic-validation tests (tests/evaluation/), computed independently
of the C++ code with numpy and scipy (Debian: python3-numpy, python3-scipy).

Writes tests/data/evaluation/spm_reference.txt: one record per line, "name value value ...".

  t_survival df t p                    scipy.stats.t.sf
  rft_threshold df nodes fwhm alpha u  scipy's t distribution and brentq on the expected Euler
                                       characteristic of a 1-D t field (Worsley et al. 1996):
                                       sf_t(u) + (nodes-1)/fwhm * sqrt(4 ln 2)/(2 pi) * (1+u^2/df)^(-(df-1)/2) = alpha
  mc_threshold df nodes fwhm alpha u se fields
                                       a different method: the (1-alpha) quantile of max |t| over
                                       `fields` simulated paired-difference data sets whose curves are
                                       white noise smoothed by a Gaussian kernel of the given FWHM;
                                       se = bootstrap standard error of that quantile
  curves_a / curves_b J nodes values   a synthetic paired data set (smooth signal + smooth noise)
  t_curve values                       its paired t curve (numpy)
  fwhm value                           its residual FWHM (Kiebel et al. 1999, numpy.gradient)
  butter fs b0..b4 a0..a4              scipy.signal.butter(4, 8, fs=fs)
  filtfilt_input fs values / filtfilt_output values
                                       scipy.signal.filtfilt with its defaults on a test signal

Run from the repository root: /usr/bin/python3 scripts/make_spm_reference.py
"""
import math
import os

import numpy as np
from scipy import optimize, signal, stats

OUT = os.path.join("tests", "data", "evaluation", "spm_reference.txt")


def rft_survival(u, df, nodes, fwhm):
    resels = (nodes - 1) / fwhm
    rho1 = math.sqrt(4 * math.log(2)) / (2 * math.pi) * (1 + u * u / df) ** (-(df - 1) / 2)
    return stats.t.sf(u, df) + resels * rho1


def rft_threshold(alpha, df, nodes, fwhm):
    return optimize.brentq(lambda u: rft_survival(u, df, nodes, fwhm) - alpha, 0.5, 50, xtol=1e-14)


def smooth_noise(rng, count, nodes, fwhm):
    sigma = fwhm / math.sqrt(8 * math.log(2))
    half = int(math.ceil(6 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    kernel /= math.sqrt((kernel ** 2).sum())
    white = rng.standard_normal((count, nodes + 2 * half))
    return np.array([np.convolve(row, kernel, mode="valid") for row in white])


def paired_t(d):
    return d.mean(axis=0) / (d.std(axis=0, ddof=1) / math.sqrt(d.shape[0]))


def residual_fwhm(residuals):
    _, dx = np.gradient(residuals)
    lam = (dx ** 2).sum(axis=0) / (residuals ** 2).sum(axis=0)
    return 1 / np.mean(np.sqrt(lam / (4 * math.log(2))))


def mc_threshold(rng, alpha, count, nodes, fwhm, fields):
    maxima = np.empty(fields)
    batch = 2000
    for start in range(0, fields, batch):
        n = min(batch, fields - start)
        noise = smooth_noise(rng, n * count, nodes, fwhm).reshape(n, count, nodes)
        t = noise.mean(axis=1) / (noise.std(axis=1, ddof=1) / math.sqrt(count))
        maxima[start:start + n] = np.abs(t).max(axis=1)
    u = np.quantile(maxima, 1 - alpha)
    boot = [np.quantile(rng.choice(maxima, fields), 1 - alpha) for _ in range(200)]
    return u, float(np.std(boot))


def line(name, *values):
    return name + " " + " ".join(repr(float(v)) if not isinstance(v, int) else str(v) for v in values)


def main():
    rng = np.random.default_rng(20240611)
    lines = []
    for df in (1, 4, 9, 30):
        for t in (-2.0, 0.0, 0.5, 2.0, 3.5):
            lines.append(line("t_survival", df, t, stats.t.sf(t, df)))

    alpha = 0.05
    for count, fwhm in ((10, 10.0), (20, 20.0), (8, 5.0), (40, 15.0)):
        df, nodes = count - 1, 101
        u = rft_threshold(alpha / 2, df, nodes, fwhm)
        lines.append(line("rft_threshold", df, nodes, fwhm, alpha, u))
        u_mc, se = mc_threshold(rng, alpha, count, nodes, fwhm, 40000)
        lines.append(line("mc_threshold", df, nodes, fwhm, alpha, u_mc, se, 40000))
        print(f"J={count} FWHM={fwhm}: RFT {u:.4f}  Monte Carlo {u_mc:.4f} +- {se:.4f}  "
              f"({100 * (u - u_mc) / u_mc:+.2f} %)")

    count, nodes = 12, 101
    q = np.linspace(0, 1, nodes)
    a = np.sin(2 * math.pi * q) + smooth_noise(rng, count, nodes, 12.0) * 0.3
    b = np.sin(2 * math.pi * q) + 0.5 * np.exp(-((q - 0.6) / 0.08) ** 2) + smooth_noise(rng, count, nodes, 12.0) * 0.3
    d = a - b
    lines.append(line("curves_a", count, nodes, *a.ravel()))
    lines.append(line("curves_b", count, nodes, *b.ravel()))
    lines.append(line("t_curve", *paired_t(d)))
    fwhm = residual_fwhm(d - d.mean(axis=0))
    lines.append(line("fwhm", fwhm))
    lines.append(line("rft_threshold", count - 1, nodes, fwhm, alpha, rft_threshold(alpha / 2, count - 1, nodes, fwhm)))

    for fs in (50.0, 120.0):
        b_coef, a_coef = signal.butter(4, 8.0, fs=fs)
        lines.append(line("butter", fs, *b_coef, *a_coef))
    fs = 60.0
    time = np.arange(90) / fs
    x = np.sin(2 * math.pi * 1.5 * time) + 0.4 * np.sin(2 * math.pi * 20 * time) + 0.3 * time
    b_coef, a_coef = signal.butter(4, 8.0, fs=fs)
    lines.append(line("filtfilt_input", fs, *x))
    lines.append(line("filtfilt_output", *signal.filtfilt(b_coef, a_coef, x)))

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("# Generated by scripts/make_spm_reference.py (numpy %s, scipy %s); do not edit.\n"
                % (np.__version__, __import__("scipy").__version__))
        f.write("\n".join(lines) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
