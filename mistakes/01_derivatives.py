"""Plausible wrong answers for 01_derivatives: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "forward_difference": {
        "backward difference": '''
def forward_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x) - f(x - h)) / h
''',
        "central difference instead": '''
def forward_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x - h)) / (2 * h)
''',
        "wrong default step": '''
def forward_difference(f, x, h=1e-8):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x)) / h
''',
        "steps in place and mutates the input": '''
def forward_difference(f, x, h=1e-5):
    fx = f(x)
    if isinstance(x, np.ndarray):
        x += h
        return (f(x) - fx) / h
    return (f(x + h) - fx) / h
''',
    },
    "central_difference": {
        "divides by h instead of 2h": '''
def central_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x - h)) / h
''',
        "forward difference instead": '''
def central_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x)) / h
''',
        "half steps with the wrong denominator": '''
def central_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h / 2) - f(x - h / 2)) / (2 * h)
''',
    },
    "verify_derivative": {
        "structural equality": '''
def verify_derivative(f_expr, claimed, x):
    return sp.diff(f_expr, x) == claimed
''',
        "checks a single point": '''
def verify_derivative(f_expr, claimed, x):
    return bool(abs(float((sp.diff(f_expr, x) - claimed).subs(x, 1))) < 1e-12)
''',
        "differentiates by the first free symbol": '''
def verify_derivative(f_expr, claimed, x):
    sym = sorted(sp.sympify(f_expr).free_symbols, key=str)[0] if sp.sympify(f_expr).free_symbols else x
    return bool(sp.simplify(sp.diff(f_expr, sym) - claimed) == 0)
''',
    },
    "product_rule": {
        "multiplies the derivatives": '''
def product_rule(f, df, g, dg):
    return lambda x: df(x) * dg(x)
''',
        "drops the second term": '''
def product_rule(f, df, g, dg):
    return lambda x: df(x) * g(x)
''',
        "subtracts the terms": '''
def product_rule(f, df, g, dg):
    return lambda x: df(x) * g(x) - f(x) * dg(x)
''',
    },
    "quotient_rule": {
        "numerator in the wrong order": '''
def quotient_rule(f, df, g, dg):
    return lambda x: (f(x) * dg(x) - df(x) * g(x)) / g(x) ** 2
''',
        "divides by g instead of g squared": '''
def quotient_rule(f, df, g, dg):
    return lambda x: (df(x) * g(x) - f(x) * dg(x)) / g(x)
''',
        "quotient of derivatives": '''
def quotient_rule(f, df, g, dg):
    return lambda x: df(x) / dg(x)
''',
    },
    "chain_rule": {
        "evaluates f' at x instead of g(x)": '''
def chain_rule(df, g, dg):
    return lambda x: df(x) * dg(x)
''',
        "forgets the inner derivative": '''
def chain_rule(df, g, dg):
    return lambda x: df(g(x))
''',
        "multiplies by g instead of g'": '''
def chain_rule(df, g, dg):
    return lambda x: df(g(x)) * g(x)
''',
    },
    "stationary_point": {
        "wrong sign": '''
def stationary_point(a, b, c):
    if a == 0:
        raise ValueError("a must be non-zero")
    return float(b / (2 * a))
''',
        "forgets the factor 2": '''
def stationary_point(a, b, c):
    if a == 0:
        raise ValueError("a must be non-zero")
    return float(-b / a)
''',
        "no ValueError for a == 0": '''
def stationary_point(a, b, c):
    return float(-b / (2 * a)) if a != 0 else float("nan")
''',
    },
    'predict_central_error_ratio': {
        "predicts 'about 10 times'": 'predict_central_error_ratio = "about 10 times"\n',
        "predicts 'about 1000 times'": 'predict_central_error_ratio = "about 1000 times"\n',
    },
    'predict_tiny_step': {
        "predicts 'smaller'": 'predict_tiny_step = "smaller"\n',
        "predicts 'about the same'": 'predict_tiny_step = "about the same"\n',
    },
}
