"""Plausible wrong answers for 08_autodiff: each must fail at least one of its exercise's test cells."""

BUGS = {
    'seed_function': {
        'sin instead of cos': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.sin(c)
    return float(f) if f.ndim == 0 else f
''',
        'exp(x)**2 instead of exp(x**2)': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(x) ** 2
    c = a + b
    f = np.sqrt(c) + np.cos(c)
    return float(f) if f.ndim == 0 else f
''',
        'cos of x**2 only (forgets exp inside cos)': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    a = x**2
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.cos(a)
    return float(f) if f.ndim == 0 else f
''',
        'squares the input array in place': '''
def seed_function(x):
    """f(x) = sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)); elementwise for arrays, a float for a number."""
    x = np.asarray(x, dtype=float)
    x **= 2
    a = x
    b = np.exp(a)
    c = a + b
    f = np.sqrt(c) + np.cos(c)
    return float(f) if f.ndim == 0 else f
''',
    },
    'seed_derivative': {
        'forgets the direct path a -> c': '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        'forgets the path a -> b -> c': '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        '+sin instead of -sin': '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * np.sin(c)  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0 + b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        'missing the 1/2 of the square root': '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / d + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0 + b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * 2 * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
        'forgets the factor 2 of d(x^2)/dx': '''
def seed_derivative(x):
    """f'(x) for the seed function, by the reverse chain rule over a, b, c, d, e, f; elementwise for arrays."""
    x = np.asarray(x, dtype=float)
    # forward trace: the values of the intermediates
    a = x**2
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    # reverse trace: the adjoints v_bar = df/dv, from the output back to x
    f_bar = 1.0
    d_bar = f_bar * 1.0                          # f = d + e
    e_bar = f_bar * 1.0
    c_bar = d_bar / (2 * d) + e_bar * (-np.sin(c))  # c feeds d and e: two contributions
    b_bar = c_bar * 1.0                          # c = a + b
    a_bar = c_bar * 1.0 + b_bar * b              # a feeds c and b: two contributions
    x_bar = a_bar * x                        # a = x^2
    return float(x_bar) if x_bar.ndim == 0 else x_bar
''',
    },
    'Dual': {
        '__rsub__ computes self - other': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return self - as_dual(other)

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        '__rtruediv__ computes self / other': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return self / as_dual(other)

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'quotient rule with + instead of -': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val + self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        "product rule missing the u v' term": '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'power rule p u^p instead of p u^(p-1)': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val**p * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'power rule forgets the inner derivative': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1))


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'dual_log derivative forgets der (1/u only)': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), 1.0 / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'dual_sqrt derivative missing 1/2': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / root)
''',
        'dual_cos derivative +sin': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'dual_exp forgets the chain rule': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'numbers become Dual(c, 1.0)': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 1.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        '__add__ modifies self in place': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        self.val += other.val
        self.der += other.der
        return self

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    if x.val <= 0:
        raise ValueError(f"dual_log needs a positive value, got val = {x.val}; log is only defined for val > 0.")
    return Dual(math.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
        'dual_log with np.log and no ValueError': '''
def as_dual(value):
    """A Dual stays as it is; a plain number becomes the constant Dual(value, 0.0)."""
    return value if isinstance(value, Dual) else Dual(value, 0.0)


class Dual:
    """A dual number val + der*eps with eps^2 = 0: a value travelling together with its derivative."""

    def __init__(self, val, der=0.0):
        self.val = float(val)
        self.der = float(der)

    def __repr__(self):
        return f"Dual(val={self.val!r}, der={self.der!r})"

    def __add__(self, other):
        """self + other."""
        other = as_dual(other)
        return Dual(self.val + other.val, self.der + other.der)

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_dual(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_dual(other)
        return Dual(self.val - other.val, self.der - other.der)

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_dual(other) - self

    def __mul__(self, other):
        """self * other (product rule)."""
        other = as_dual(other)
        return Dual(self.val * other.val, self.der * other.val + self.val * other.der)

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_dual(other) * self

    def __truediv__(self, other):
        """self / other (quotient rule)."""
        other = as_dual(other)
        return Dual(self.val / other.val, (self.der * other.val - self.val * other.der) / other.val**2)

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_dual(other) / self

    def __neg__(self):
        """-self."""
        return Dual(-self.val, -self.der)

    def __pow__(self, p):
        """self ** p for a plain number p (power rule)."""
        if isinstance(p, Dual):
            return NotImplemented
        p = float(p)
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)


def dual_sin(x):
    """sin of a Dual."""
    x = as_dual(x)
    return Dual(math.sin(x.val), math.cos(x.val) * x.der)


def dual_cos(x):
    """cos of a Dual."""
    x = as_dual(x)
    return Dual(math.cos(x.val), -math.sin(x.val) * x.der)


def dual_exp(x):
    """exp of a Dual."""
    x = as_dual(x)
    value = math.exp(x.val)
    return Dual(value, value * x.der)


def dual_log(x):
    """Natural log of a Dual; ValueError unless x.val > 0."""
    x = as_dual(x)
    return Dual(np.log(x.val), x.der / x.val)


def dual_sqrt(x):
    """Square root of a Dual; ValueError if x.val < 0."""
    x = as_dual(x)
    if x.val < 0:
        raise ValueError(f"dual_sqrt needs a non-negative value, got val = {x.val}.")
    root = math.sqrt(x.val)
    return Dual(root, x.der / (2 * root))
''',
    },
    'forward_derivative': {
        'returns the value instead of the derivative': '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return out.val
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        'seeds der = 0 (Dual(x))': '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x))
    if isinstance(out, Dual):
        return out.der
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        'returns the whole Dual': '''
def forward_derivative(f, x):
    """f'(x) by forward mode: one pass of f on the dual number Dual(x, 1.0)."""
    out = f(Dual(x, 1.0))
    if isinstance(out, Dual):
        return out
    return 0.0  # f ignored its input: a constant has derivative 0
''',
        'central difference instead of forward mode': '''
def forward_derivative(f, x):
    h = 1e-6
    return (f(x + h) - f(x - h)) / (2 * h)
''',
    },
    'Var': {
        'overwrites grads instead of accumulating': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad = node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'breadth-first from the output, no topological order': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            node = queue.pop(0)
            for parent, local in node.parents:
                parent.grad += node.grad * local
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'recursion that re-sends the running total': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        self.grad = 1.0
        self._push()

    def _push(self):
        for parent, local in self.parents:
            parent.grad += self.grad * local
            parent._push()


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'walks the topological order forwards': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in order:
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'forgets to seed out.grad = 1': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'grads start as None': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = None
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in order:
            node.grad = node.grad or 0.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        '__rsub__ computes self - other': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return self - as_var(other)

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        '__rtruediv__ computes self / other': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return self / as_var(other)

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'quotient rule sign error': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'product rule with swapped local derivatives': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, self.value), (other, other.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'product rule missing a term (only self gets a parent edge)': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'power rule p x^p': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value**p)])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'var_log local derivative 1/x^2': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value**2)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'var_sqrt local derivative missing 1/2': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 1.0 / root)])
''',
        'var_cos local derivative +sin': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    if x.value <= 0:
        raise ValueError(f"var_log needs a positive value, got value = {x.value}; log is only defined for value > 0.")
    return Var(math.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
        'var_log with np.log and no ValueError': '''
def as_var(value):
    """A Var stays as it is; a plain number becomes a constant leaf Var(value)."""
    return value if isinstance(value, Var) else Var(value)


class Var:
    """A node of a recorded computation graph: its value, the parents it was computed from, and its gradient."""

    def __init__(self, value, parents=()):
        """parents: pairs (parent, d self / d parent) recorded by the operation that made this node."""
        self.value = float(value)
        self.grad = 0.0
        self.parents = tuple(parents)

    def __repr__(self):
        return f"Var(value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        """self + other."""
        other = as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)])

    def __radd__(self, other):
        """other + self, where other is a number."""
        return as_var(other) + self

    def __sub__(self, other):
        """self - other."""
        other = as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)])

    def __rsub__(self, other):
        """other - self, where other is a number."""
        return as_var(other) - self

    def __mul__(self, other):
        """self * other."""
        other = as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)])

    def __rmul__(self, other):
        """other * self, where other is a number."""
        return as_var(other) * self

    def __truediv__(self, other):
        """self / other."""
        other = as_var(other)
        return Var(self.value / other.value, [(self, 1.0 / other.value), (other, -self.value / other.value**2)])

    def __rtruediv__(self, other):
        """other / self, where other is a number."""
        return as_var(other) / self

    def __neg__(self):
        """-self."""
        return Var(-self.value, [(self, -1.0)])

    def __pow__(self, p):
        """self ** p for a plain number p."""
        if isinstance(p, Var):
            return NotImplemented
        p = float(p)
        return Var(self.value**p, [(self, p * self.value ** (p - 1))])

    def backward(self):
        """Set .grad = d self / d node on every node self depends on, visiting nodes in reverse topological order."""
        # 1. topological order of the graph behind self (parents before children), by an iterative DFS
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent, _ in node.parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        # 2. seed the output and push adjoints from children to parents, children first
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


def var_sin(x):
    """sin of a Var."""
    x = as_var(x)
    return Var(math.sin(x.value), [(x, math.cos(x.value))])


def var_cos(x):
    """cos of a Var."""
    x = as_var(x)
    return Var(math.cos(x.value), [(x, -math.sin(x.value))])


def var_exp(x):
    """exp of a Var."""
    x = as_var(x)
    value = math.exp(x.value)
    return Var(value, [(x, value)])


def var_log(x):
    """Natural log of a Var; ValueError unless x.value > 0."""
    x = as_var(x)
    return Var(np.log(x.value), [(x, 1.0 / x.value)])


def var_sqrt(x):
    """Square root of a Var; ValueError if x.value < 0."""
    x = as_var(x)
    if x.value < 0:
        raise ValueError(f"var_sqrt needs a non-negative value, got value = {x.value}.")
    root = math.sqrt(x.value)
    return Var(root, [(x, 0.5 / root)])
''',
    },
}
