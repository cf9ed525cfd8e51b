"""Plausible wrong answers for 07_optimizers: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "ema": {
        "beta and 1 - beta swapped": '''
def ema(xs, beta, bias_correction=False):
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    xs = np.asarray(xs, dtype=float)
    out, v = np.empty_like(xs), 0.0
    for t, x in enumerate(xs, start=1):
        v = (1 - beta) * v + beta * x
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out
''',
        "starts from v_0 = x_1 instead of 0": '''
def ema(xs, beta, bias_correction=False):
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    xs = np.asarray(xs, dtype=float)
    out, v = np.empty_like(xs), xs[0]
    for t, x in enumerate(xs, start=1):
        v = beta * v + (1 - beta) * x
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out
''',
        "correction exponent off by one (t counted from 0)": '''
def ema(xs, beta, bias_correction=False):
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    xs = np.asarray(xs, dtype=float)
    out, v = np.empty_like(xs), 0.0
    for t, x in enumerate(xs):
        v = beta * v + (1 - beta) * x
        out[t] = v / (1 - beta ** (t + 2)) if bias_correction else v
    return out
''',
        "feeds the corrected value back into the recursion": '''
def ema(xs, beta, bias_correction=False):
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    xs = np.asarray(xs, dtype=float)
    out, v = np.empty_like(xs), 0.0
    for t, x in enumerate(xs, start=1):
        v = beta * v + (1 - beta) * x
        if bias_correction:
            v = v / (1 - beta**t)
        out[t - 1] = v
    return out
''',
        "ignores bias_correction": '''
def ema(xs, beta, bias_correction=False):
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    xs = np.asarray(xs, dtype=float)
    out, v = np.empty_like(xs), 0.0
    for t, x in enumerate(xs, start=1):
        v = beta * v + (1 - beta) * x
        out[t - 1] = v
    return out
''',
        "no ValueError for beta = 1": '''
def ema(xs, beta, bias_correction=False):
    xs = np.asarray(xs, dtype=float)
    out, v = np.empty_like(xs), 0.0
    for t, x in enumerate(xs, start=1):
        v = beta * v + (1 - beta) * x
        out[t - 1] = v / (1 - beta**t) if bias_correction and beta != 1 else v
    return out
''',
    },
    "momentum_step": {
        "EMA form v = beta v + (1 - beta) grad": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
''',
        "steps with the old velocity": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v = np.asarray(v, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * v
    return theta_new, beta * v + np.asarray(grad, dtype=float)
''',
        "updates v and theta in place": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v *= beta
    v += grad
    theta -= lr * v
    return theta, v
''',
        "wrong sign (moves uphill)": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v_new = beta * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + lr * v_new, v_new
''',
    },
    "adagrad_step": {
        "eps outside the square root": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + grad**2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
''',
        "divides by the old s": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s = np.asarray(s, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps)
    return theta_new, s + grad**2
''',
        "forgets the square root": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + grad**2
    return np.asarray(theta, dtype=float) - lr * grad / (s_new + eps), s_new
''',
        "accumulates s in place": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s += grad**2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps), s
''',
        "accumulates |grad| instead of grad^2": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + np.abs(grad)
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s_new + eps), s_new
''',
    },
    "rmsprop_step": {
        "beta and 1 - beta swapped": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = (1 - beta) * np.asarray(s, dtype=float) + beta * grad**2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s_new + eps), s_new
''',
        "eps outside the square root": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + (1 - beta) * grad**2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
''',
        "divides by the old s": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s = np.asarray(s, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps)
    return theta_new, beta * s + (1 - beta) * grad**2
''',
        "updates s in place": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s *= beta
    s += (1 - beta) * grad**2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps), s
''',
    },
    "adam_step": {
        "no bias correction": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    return np.asarray(theta, dtype=float) - lr * v_new / np.sqrt(s_new + eps), v_new, s_new
''',
        "returns the corrected moments": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_hat = (beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad) / (1 - beta1**t)
    s_hat = (beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2) / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_hat, s_hat
''',
        "t off by one (uses t + 1 in the corrections)": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1 ** (t + 1)), s_new / (1 - beta2 ** (t + 1))
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
        "eps outside the square root (the paper's placement)": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / (np.sqrt(s_hat) + eps), v_new, s_new
''',
        "beta and 1 - beta swapped in the moments": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = (1 - beta1) * np.asarray(v, dtype=float) + beta1 * grad
    s_new = (1 - beta2) * np.asarray(s, dtype=float) + beta2 * grad**2
    v_hat, s_hat = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
        "beta1 and beta2 exchanged": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad
    s_new = beta1 * np.asarray(s, dtype=float) + (1 - beta1) * grad**2
    v_hat, s_hat = v_new / (1 - beta2**t), s_new / (1 - beta1**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
        "updates v and s in place": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v *= beta1
    v += (1 - beta1) * grad
    s *= beta2
    s += (1 - beta2) * grad**2
    return np.asarray(theta, dtype=float) - lr * (v / (1 - beta1**t)) / np.sqrt(s / (1 - beta2**t) + eps), v, s
''',
        "no ValueError for t = 0 (t counted from 0)": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1 ** (t + 1)), s_new / (1 - beta2 ** (t + 1))
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
    },
}

MISTAKES.update({
    "predict_rmsprop_vs_gd": {
        "thinks the adaptive method wins": 'predict_rmsprop_vs_gd = "RMSprop"\n',
        "thinks both converge": 'predict_rmsprop_vs_gd = "both below 1e-3"\n',
    },
    "predict_momentum_speedup": {
        "thinks momentum only smooths": 'predict_momentum_speedup = "about as many"\n',
        "thinks a factor 2": 'predict_momentum_speedup = "about 2 times fewer"\n',
        "thinks kappa times fewer": 'predict_momentum_speedup = "about 100 times fewer"\n',
    },
    "predict_eps_tiny_gradient": {
        "thinks Adam always normalises": 'predict_eps_tiny_gradient = "about 1"\n',
        "thinks it is plain GD with step lr": 'predict_eps_tiny_gradient = "about 1e-6"\n',
    },
})
