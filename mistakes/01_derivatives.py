"""Plausible wrong answers for 01_derivatives: each must fail at least one of its exercise's test cells."""

MISTAKES = {
    "forward_difference": {
        "Uses the backward difference (f(x) - f(x - h)) / h instead of the forward one.": '''
def forward_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x) - f(x - h)) / h
''',
        "Computes the central difference instead of the forward difference.": '''
def forward_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x - h)) / (2 * h)
''',
        "Uses a default step h other than 1e-5.": '''
def forward_difference(f, x, h=1e-8):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x)) / h
''',
        "Adds h to the input array in place, so the caller's x changes.": '''
def forward_difference(f, x, h=1e-5):
    fx = f(x)
    if isinstance(x, np.ndarray):
        x += h
        return (f(x) - fx) / h
    return (f(x + h) - fx) / h
''',
    },
    "central_difference": {
        "Divides by h instead of 2h.": '''
def central_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x - h)) / h
''',
        "Computes the forward difference instead of the central difference.": '''
def central_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x)) / h
''',
        "Steps by h/2 on each side but still divides by 2h.": '''
def central_difference(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return (f(x + h / 2) - f(x - h / 2)) / (2 * h)
''',
    },
    "verify_derivative": {
        "Compares the expressions with == instead of simplifying their difference to zero.": '''
def verify_derivative(f_expr, claimed, x):
    return sp.diff(f_expr, x) == claimed
''',
        "Compares the two derivatives at a single point instead of symbolically.": '''
def verify_derivative(f_expr, claimed, x):
    return bool(abs(float((sp.diff(f_expr, x) - claimed).subs(x, 1))) < 1e-12)
''',
        "Differentiates with respect to the first symbol in alphabetical order instead of x.": '''
def verify_derivative(f_expr, claimed, x):
    sym = sorted(sp.sympify(f_expr).free_symbols, key=str)[0] if sp.sympify(f_expr).free_symbols else x
    return bool(sp.simplify(sp.diff(f_expr, sym) - claimed) == 0)
''',
    },
    "product_rule": {
        "Multiplies the two derivatives, f'(x) g'(x), instead of applying the product rule.": '''
def product_rule(f, df, g, dg):
    return lambda x: df(x) * dg(x)
''',
        "Drops the second term and returns only f'(x) g(x).": '''
def product_rule(f, df, g, dg):
    return lambda x: df(x) * g(x)
''',
        "Subtracts f(x) g'(x) instead of adding it.": '''
def product_rule(f, df, g, dg):
    return lambda x: df(x) * g(x) - f(x) * dg(x)
''',
    },
    "quotient_rule": {
        "Writes the numerator as f g' - f' g instead of f' g - f g'.": '''
def quotient_rule(f, df, g, dg):
    return lambda x: (f(x) * dg(x) - df(x) * g(x)) / g(x) ** 2
''',
        "Divides by g(x) instead of g(x) squared.": '''
def quotient_rule(f, df, g, dg):
    return lambda x: (df(x) * g(x) - f(x) * dg(x)) / g(x)
''',
        "Returns f'(x) / g'(x), the quotient of the derivatives.": '''
def quotient_rule(f, df, g, dg):
    return lambda x: df(x) / dg(x)
''',
    },
    "chain_rule": {
        "Evaluates f' at x instead of at g(x).": '''
def chain_rule(df, g, dg):
    return lambda x: df(x) * dg(x)
''',
        "Forgets to multiply by the inner derivative g'(x).": '''
def chain_rule(df, g, dg):
    return lambda x: df(g(x))
''',
        "Multiplies by g(x) instead of g'(x).": '''
def chain_rule(df, g, dg):
    return lambda x: df(g(x)) * g(x)
''',
    },
    "stationary_point": {
        "Returns b / (2a) instead of -b / (2a).": '''
def stationary_point(a, b, c):
    if a == 0:
        raise ValueError("a must be non-zero")
    return float(b / (2 * a))
''',
        "Returns -b / a, forgetting the factor 2 of the derivative 2ax + b.": '''
def stationary_point(a, b, c):
    if a == 0:
        raise ValueError("a must be non-zero")
    return float(-b / a)
''',
        "Does not raise ValueError when a is 0.": '''
def stationary_point(a, b, c):
    return float(-b / (2 * a)) if a != 0 else float("nan")
''',
    },
    'predict_central_error_ratio': {
        "Predicts that the error shrinks about 10 times, as if the central difference were first order.": 'predict_central_error_ratio = "about 10 times"\n',
        "Predicts that the error shrinks about 1000 times, as if the central difference were third order.": 'predict_central_error_ratio = "about 1000 times"\n',
    },
    'predict_tiny_step': {
        "Predicts that a much smaller step makes the error smaller, forgetting round-off error.": 'predict_tiny_step = "smaller"\n',
        "Predicts that a much smaller step leaves the error about the same, forgetting round-off error.": 'predict_tiny_step = "about the same"\n',
    },
}

# Where the notebook explains the right idea of each exercise (the exact title of one of its headings).
SECTIONS = {
    "forward_difference": "1. The derivative as a limit",
    "central_difference": "2. Central differences and the error of an estimate",
    "predict_central_error_ratio": "2. Central differences and the error of an estimate",
    "predict_tiny_step": "Truncation error against round-off error",
    "verify_derivative": "3. A table of derivatives, checked by SymPy",
    "product_rule": "4. Rules for building derivatives",
    "quotient_rule": "4. Rules for building derivatives",
    "chain_rule": "5. The chain rule",
    "stationary_point": "6. Where the slope is zero: a first optimisation",
}
