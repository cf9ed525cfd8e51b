"""Plausible wrong answers for 02_gradients: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "lp_norm": {
        "Raises the entries to the power p without taking their absolute values first.": '''
def lp_norm(v, p):
    if p < 1:
        raise ValueError("p must be at least 1")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(v**p) ** (1 / p))
''',
        "Takes the largest entry instead of the largest absolute value for p = inf.": '''
def lp_norm(v, p):
    if p < 1:
        raise ValueError("p must be at least 1")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(v))
    return float(np.sum(np.abs(v) ** p) ** (1 / p))
''',
        "Returns the sum of |v_i|^p without taking its p-th root.": '''
def lp_norm(v, p):
    if p < 1:
        raise ValueError("p must be at least 1")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(np.abs(v) ** p))
''',
        "Raises ValueError only for p <= 0, so a p between 0 and 1 is accepted.": '''
def lp_norm(v, p):
    if p <= 0:
        raise ValueError("p must be positive")
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(np.abs(v) ** p) ** (1 / p))
''',
        "Does not raise ValueError when p is below 1.": '''
def lp_norm(v, p):
    v = np.asarray(v, dtype=float)
    if p == np.inf:
        return float(np.max(np.abs(v)))
    return float(np.sum(np.abs(v) ** p) ** (1 / p))
''',
    },
    "angle_between": {
        "Does not clip the cosine to [-1, 1], so parallel vectors give nan.": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    return float(np.arccos(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))))
''',
        "Returns the angle in degrees instead of radians.": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    c = np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)
    return float(np.degrees(np.arccos(c)))
''',
        "Does not raise ValueError when one of the vectors is zero.": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)
    return float(np.arccos(c))
''',
        "Takes the absolute value of the dot product, so obtuse angles come out acute.": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    c = np.clip(abs(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)
    return float(np.arccos(c))
''',
        "Divides the dot product by the squared lengths instead of the lengths.": '''
def angle_between(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if not u.any() or not v.any():
        raise ValueError("zero vector")
    c = np.clip(u @ v / ((u @ u) * (v @ v)), -1, 1)
    return float(np.arccos(c))
''',
    },
    "numerical_gradient": {
        "Uses forward differences instead of central differences.": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = h
        g[k] = (f(x + e) - f(x)) / h
    return g
''',
        "Divides the central difference by h instead of 2h.": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = h
        g[k] = (f(x + e) - f(x - e)) / h
    return g
''',
        "Ignores the argument h and always steps by 1e-5.": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = 1e-5
        g[k] = (f(x + e) - f(x - e)) / 2e-5
    return g
''',
        "Returns a flat vector instead of an array shaped like x.": '''
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
        "Moves all coordinates at once instead of one coordinate at a time.": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))
''',
    },
    "gradient_f": {
        "Writes the cross term of df/dx2 as 3 x2 instead of 3 x1.": '''
def gradient_f(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([4 * x1 + 3 * x2, 2 * x2 + 3 * x2])
''',
        "Forgets the factor the power rule brings down (2 x1^2 gives 4 x1, x2^2 gives 2 x2).": '''
def gradient_f(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([2 * x1 + 3 * x2, x2 + 3 * x1])
''',
        "Returns the two partial derivatives in swapped order.": '''
def gradient_f(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([3 * x1 + 2 * x2, 4 * x1 + 3 * x2])
''',
        "Returns a Python list instead of a NumPy array.": '''
def gradient_f(x):
    x1, x2 = x
    return [4 * x1 + 3 * x2, 3 * x1 + 2 * x2]
''',
    },
    "directional_derivative": {
        "Does not divide by the length of v, so the result grows with ||v||.": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    if not v.any():
        raise ValueError("v is zero")
    return float(grad_f(np.asarray(x, dtype=float)) @ v)
''',
        "Divides by the squared length of v instead of its length.": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    if not v.any():
        raise ValueError("v is zero")
    return float(grad_f(np.asarray(x, dtype=float)) @ v / (v @ v))
''',
        "Does not raise ValueError when v is the zero vector.": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(grad_f(np.asarray(x, dtype=float)) @ v / np.linalg.norm(v))
''',
        "Multiplies the gradient and v entry by entry instead of taking their dot product.": '''
def directional_derivative(grad_f, x, v):
    v = np.asarray(v, dtype=float)
    if not v.any():
        raise ValueError("v is zero")
    return grad_f(np.asarray(x, dtype=float)) * v / np.linalg.norm(v)
''',
    },
    "steepest_ascent_direction": {
        "Returns the direction of steepest descent, minus the normalised gradient.": '''
def steepest_ascent_direction(grad_f, x):
    g = np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
    n = np.linalg.norm(g)
    return np.zeros_like(g) if n == 0 else -g / n
''',
        "Returns the gradient itself instead of the unit vector along it.": '''
def steepest_ascent_direction(grad_f, x):
    return np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
''',
        "Divides by the zero norm at a stationary point and returns nan instead of the zero vector.": '''
def steepest_ascent_direction(grad_f, x):
    g = np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return g / np.linalg.norm(g)
''',
        "Divides by the sum of absolute values (the L1 norm) instead of the Euclidean length.": '''
def steepest_ascent_direction(grad_f, x):
    g = np.asarray(grad_f(np.array(x, dtype=float)), dtype=float)
    n = np.sum(np.abs(g))
    return np.zeros_like(g) if n == 0 else g / n
''',
    },
    'predict_steepest_direction': {
        "Predicts that the steepest climb is along the axis with the larger partial derivative.": 'predict_steepest_direction = "along e1, the larger partial derivative"\n',
        "Predicts that the steepest climb is at right angles to the gradient, along the level set.": 'predict_steepest_direction = "at right angles to the gradient"\n',
    },
    'predict_fixed_length_steps': {
        "Predicts that steps of fixed length land exactly on the minimum.": 'predict_fixed_length_steps = "exactly at the minimum"\n',
        "Predicts that steps of fixed length stay far from the minimum.": 'predict_fixed_length_steps = "still far from the minimum"\n',
    },
}

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "lp_norm": "2. How long is a vector? $L^p$ norms",
    "angle_between": "3. The dot product and the angle between two vectors",
    "numerical_gradient": "4. Partial derivatives: slopes of slices",
    "gradient_f": "5. The gradient: all partial derivatives in one vector",
    "directional_derivative": "7. The directional derivative",
    "predict_steepest_direction": "7. The directional derivative",
    "steepest_ascent_direction": "8. The gradient points uphill, as steeply as possible",
    "predict_fixed_length_steps": "8. The gradient points uphill, as steeply as possible",
}
