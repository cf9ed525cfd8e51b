"""Plausible wrong answers for 07_optimizers: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "ema": {
        "Swaps beta and 1 - beta, so the newest value gets weight beta instead of 1 - beta.": '''
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
        "Starts the average from the first value instead of from 0.": '''
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
        "Counts t from 0, so the bias correction divides by 1 - beta^(t+1) one step off.": '''
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
        "Feeds the bias-corrected value back into the recursion instead of keeping the raw average.": '''
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
        "Ignores bias_correction=True and always returns the uncorrected average.": '''
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
        "Does not raise ValueError when beta is outside [0, 1).": '''
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
        "Averages with v = beta v + (1 - beta) grad instead of accumulating v = beta v + grad.": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
''',
        "Moves theta with the old velocity instead of the updated one.": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v = np.asarray(v, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * v
    return theta_new, beta * v + np.asarray(grad, dtype=float)
''',
        "Updates theta and v in place, so the caller's arrays change.": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v *= beta
    v += grad
    theta -= lr * v
    return theta, v
''',
        "Adds lr * v to theta instead of subtracting it, so it moves uphill.": '''
def momentum_step(theta, grad, v, lr, beta=0.9):
    v_new = beta * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + lr * v_new, v_new
''',
    },
    "adagrad_step": {
        "Adds eps outside the square root instead of inside it.": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + grad**2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
''',
        "Divides by the old sum of squares instead of the updated one.": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s = np.asarray(s, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps)
    return theta_new, s + grad**2
''',
        "Divides by s itself instead of its square root.": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + grad**2
    return np.asarray(theta, dtype=float) - lr * grad / (s_new + eps), s_new
''',
        "Adds grad^2 to s in place, so the caller's array changes.": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s += grad**2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps), s
''',
        "Accumulates |grad| instead of grad^2.": '''
def adagrad_step(theta, grad, s, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + np.abs(grad)
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s_new + eps), s_new
''',
    },
    "rmsprop_step": {
        "Swaps beta and 1 - beta in the moving average of grad^2.": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = (1 - beta) * np.asarray(s, dtype=float) + beta * grad**2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s_new + eps), s_new
''',
        "Adds eps outside the square root instead of inside it.": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + (1 - beta) * grad**2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
''',
        "Divides by the old average of squares instead of the updated one.": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s = np.asarray(s, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps)
    return theta_new, beta * s + (1 - beta) * grad**2
''',
        "Updates s in place, so the caller's array changes.": '''
def rmsprop_step(theta, grad, s, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s *= beta
    s += (1 - beta) * grad**2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s + eps), s
''',
    },
    "adam_step": {
        "Steps with the raw moments, without the bias correction.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    return np.asarray(theta, dtype=float) - lr * v_new / np.sqrt(s_new + eps), v_new, s_new
''',
        "Returns the bias-corrected moments instead of the raw ones.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_hat = (beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad) / (1 - beta1**t)
    s_hat = (beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2) / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_hat, s_hat
''',
        "Uses t + 1 instead of t in the bias corrections.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1 ** (t + 1)), s_new / (1 - beta2 ** (t + 1))
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
        "Adds eps outside the square root (the paper's placement) instead of inside it.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / (np.sqrt(s_hat) + eps), v_new, s_new
''',
        "Swaps beta and 1 - beta in the moment updates.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = (1 - beta1) * np.asarray(v, dtype=float) + beta1 * grad
    s_new = (1 - beta2) * np.asarray(s, dtype=float) + beta2 * grad**2
    v_hat, s_hat = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
        "Uses beta2 for the first moment and beta1 for the second.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError("t must be >= 1")
    grad = np.asarray(grad, dtype=float)
    v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad
    s_new = beta1 * np.asarray(s, dtype=float) + (1 - beta1) * grad**2
    v_hat, s_hat = v_new / (1 - beta2**t), s_new / (1 - beta1**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
        "Updates v and s in place, so the caller's arrays change.": '''
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
        "Does not raise ValueError when t is 0, although t counts steps from 1.": '''
def adam_step(theta, grad, v, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad
    s_new = beta2 * np.asarray(s, dtype=float) + (1 - beta2) * grad**2
    v_hat, s_hat = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * v_hat / np.sqrt(s_hat + eps), v_new, s_new
''',
    },
}

MISTAKES.update({
    "predict_rmsprop_vs_gd": {
        "Predicts that RMSprop ends with the lower loss, although its loss keeps spiking on this quadratic.": 'predict_rmsprop_vs_gd = "RMSprop"\n',
        "Predicts that both end below 1e-3, although RMSprop's loss keeps spiking on this quadratic.": 'predict_rmsprop_vs_gd = "both below 1e-3"\n',
    },
    "predict_momentum_speedup": {
        "Predicts about as many steps, as if momentum only smoothed the path.": 'predict_momentum_speedup = "about as many"\n',
        "Predicts only twice fewer steps, underestimating momentum's gain of about sqrt(kappa).": 'predict_momentum_speedup = "about 2 times fewer"\n',
        "Predicts kappa times fewer steps instead of about sqrt(kappa) times fewer.": 'predict_momentum_speedup = "about 100 times fewer"\n',
    },
    "predict_eps_tiny_gradient": {
        "Predicts a first step of about lr = 1, forgetting that eps = 1e-8 inside the root outweighs g^2 = 1e-12.": 'predict_eps_tiny_gradient = "about 1"\n',
        "Predicts a first step of about 1e-6, the step plain gradient descent would take.": 'predict_eps_tiny_gradient = "about 1e-6"\n',
    },
})

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "ema": "1. The exponential moving average",
    "momentum_step": "2. Heavy-ball momentum",
    "adagrad_step": "3. Adagrad: a step size per coordinate",
    "rmsprop_step": "4. RMSprop: forget old gradients",
    "adam_step": "5. Adam: momentum and RMSprop, bias-corrected",
    "predict_rmsprop_vs_gd": "6. The optimisers side by side",
    "predict_momentum_speedup": "7. Momentum on a quadratic, exactly",
    "predict_eps_tiny_gradient": "10. Where does $\\epsilon$ go?",
}
