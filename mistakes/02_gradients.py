"""Plausible wrong answers for 02_gradients: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "lp_norm": {
        "forgets the absolute values": '''
def lp_norm(v, p):
    if p < 1:
        raise ValueError("p must be at least 1")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(v**p) ** (1 / p))
''',
        "max-norm without absolute values": '''
def lp_norm(v, p):
    if p < 1:
        raise ValueError("p must be at least 1")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(v))
    return float(np.sum(np.abs(v) ** p) ** (1 / p))
''',
        "forgets the 1/p root": '''
def lp_norm(v, p):
    if p < 1:
        raise ValueError("p must be at least 1")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(np.abs(v) ** p))
''',
        "no ValueError for p < 1": '''
def lp_norm(v, p):
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(np.abs(v) ** p) ** (1 / p))
''',
        "only rejects p <= 0": '''
def lp_norm(v, p):
    if p <= 0:
        raise ValueError("p must be positive")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(np.abs(v) ** p) ** (1 / p))
''',
    },
    "angle_between": {
        "no clipping (nan for parallel vectors)": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    return float(np.arccos(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))))
''',
        "returns degrees": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    c = np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)
    return float(np.degrees(np.arccos(c)))
''',
        "no ValueError for a zero vector": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)
    return float(np.arccos(c))
''',
        "absolute value of the dot product": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    c = np.clip(abs(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)
    return float(np.arccos(c))
''',
        "divides by squared lengths": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    c = np.clip(u @ v / ((u @ u) * (v @ v)), -1, 1)
    return float(np.arccos(c))
''',
    },
    "numerical_gradient": {
        "forward differences": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = h
        g[k] = (f(x + e) - f(x)) / h
    return g
''',
        "divides by h instead of 2h": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = h
        g[k] = (f(x + e) - f(x - e)) / h
    return g
''',
        "ignores the step h": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = 1e-5
        g[k] = (f(x + e) - f(x - e)) / 2e-5
    return g
''',
        "only works for vectors (flattens the result)": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    flat = x.ravel()
    g = np.zeros(flat.size)
    for k in range(flat.size):
        e = np.zeros(flat.size)
        e[k] = h
        g[k] = (f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h)
    return g
''',
        "moves all coordinates at once": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))
''',
    },
    "gradient_f": {
        "uses x2 in the cross term of df/dx2": '''
def gradient_f(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([4 * x1 + 3 * x2, 2 * x2 + 3 * x2])
''',
        "forgets the factor from the powers": '''
def gradient_f(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([2 * x1 + 3 * x2, x2 + 3 * x1])
''',
        "components swapped": '''
def gradient_f(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([3 * x1 + 2 * x2, 4 * x1 + 3 * x2])
''',
        "returns a list": '''
def gradient_f(x):
    x1, x2 = x
    return [4 * x1 + 3 * x2, 3 * x1 + 2 * x2]
''',
    },
    "directional_derivative": {
        "does not normalise v": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    if not v.any():
        raise ValueError("v is zero")
    return float(grad_f(np.asarray(x, dtype=float)) @ v)
''',
        "divides by ||v||^2": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    if not v.any():
        raise ValueError("v is zero")
    return float(grad_f(np.asarray(x, dtype=float)) @ v / (v @ v))
''',
        "no ValueError for v = 0": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(grad_f(np.asarray(x, dtype=float)) @ v / np.linalg.norm(v))
''',
        "elementwise product instead of dot product": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    if not v.any():
        raise ValueError("v is zero")
    return grad_f(np.asarray(x, dtype=float)) * v / np.linalg.norm(v)
''',
    },
    "steepest_ascent_direction": {
        "steepest descent instead of ascent": '''
def steepest_ascent_direction(grad_f, x):
    g = np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
    n = np.linalg.norm(g)
    return np.zeros_like(g) if n == 0 else -g / n
''',
        "not normalised": '''
def steepest_ascent_direction(grad_f, x):
    return np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
''',
        "nan at a zero gradient": '''
def steepest_ascent_direction(grad_f, x):
    g = np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return g / np.linalg.norm(g)
''',
        "normalises with the L1 norm": '''
def steepest_ascent_direction(grad_f, x):
    g = np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
    n = np.sum(np.abs(g))
    return np.zeros_like(g) if n == 0 else g / n
''',
    },
    'predict_steepest_direction': {
        "predicts 'along e1, the larger partial derivative'": 'predict_steepest_direction = "along e1, the larger partial derivative"\n',
        "predicts 'at right angles to the gradient'": 'predict_steepest_direction = "at right angles to the gradient"\n',
    },
    'predict_fixed_length_steps': {
        "predicts 'exactly at the minimum'": 'predict_fixed_length_steps = "exactly at the minimum"\n',
        "predicts 'still far from the minimum'": 'predict_fixed_length_steps = "still far from the minimum"\n',
    },
}
