"""The exercise catalog of COURSE_SPEC.md: every assignment and the exact exercise names it must contain."""

CATALOG = {
    "01_derivatives": [
        "forward_difference", "central_difference", "product_rule", "quotient_rule", "chain_rule",
        "verify_derivative", "stationary_point",
    ],
    "02_gradients": [
        "lp_norm", "angle_between", "numerical_gradient", "gradient_f", "directional_derivative",
        "steepest_ascent_direction",
    ],
    "03_jacobians_hessians": [
        "numerical_jacobian", "numerical_hessian", "symbolic_gradient", "symbolic_hessian",
        "quadratic_form_gradient", "least_squares_gradient", "least_squares_hessian", "chain_rule_gradient",
    ],
    "04_gradient_descent": [
        "gradient_descent", "gradient_descent_until", "quadratic_minimizer", "max_stable_learning_rate",
        "gd_with_decay", "best_of_restarts",
    ],
    "05_regression": [
        "add_intercept", "mse_loss", "mse_gradient", "normal_equation", "sigmoid", "logistic_loss", "logistic_gradient",
    ],
    "06_sgd": ["minibatch_indices", "per_example_gradients", "minibatch_sgd", "gradient_variance"],
    "07_optimizers": ["ema", "momentum_step", "adagrad_step", "rmsprop_step", "adam_step"],
    "08_autodiff": ["seed_function", "seed_derivative", "Dual", "forward_derivative", "Var"],
    "09_neural_network": [
        "softmax", "cross_entropy", "cross_entropy_grad", "relu_backward", "dense_backward", "mlp_loss_and_grads",
        "sgd_train",
    ],
}

# Names defined inside an exercise's solution cell besides the exercise itself.
COMPANIONS = {
    "Dual": ["dual_sin", "dual_cos", "dual_exp", "dual_log", "dual_sqrt"],
    "Var": ["var_sin", "var_cos", "var_exp", "var_log", "var_sqrt"],
}
