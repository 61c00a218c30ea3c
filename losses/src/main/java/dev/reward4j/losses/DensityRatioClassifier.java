package dev.reward4j.losses;

import java.util.Arrays;

/**
 * BCO's underlying-distribution matching (UDM): a logistic classifier that tells desirable from
 * undesirable prompts by their embeddings, and the density-ratio weights it gives undesirable
 * examples, \( w = \mathrm{clip}(p/(1 - p + 10^{-8}), w_{min}, w_{max}) \) with \( p \) the
 * predicted probability that the prompt is a desirable one (desirable examples weigh 1). This is
 * TRL's {@code BCOTrainer}: scikit-learn's {@code LogisticRegression(class_weight="balanced")} with
 * its defaults (L2 penalty, \( C = 1 \), an unpenalised intercept) fitted once on a sample of
 * prompt embeddings, and the clip to {@code [min_density_ratio, max_density_ratio]} = [0.5, 10].
 *
 * <p>The fit minimises \( \tfrac12\lVert w\rVert^2 + C\sum_i s_i \log(1 + e^{-y_i(w\cdot x_i + b)})
 * \) with balanced class weights \( s_i = n / (2 n_{class(i)}) \). The objective is strictly
 * convex, so its minimiser is unique; it is found with Newton-CG (matrix-free Hessian products,
 * backtracking line search) to a gradient norm below {@code 1e-10} relative to the start, in double
 * precision on the host. Pure Java, no NDArrays.
 *
 * <p>Reference: "Binary Classifier Optimization for Large Language Model Alignment", arXiv
 * 2404.04656 (underlying distribution matching).
 */
public final class DensityRatioClassifier {
    private final double[] weights;
    private final double intercept;

    private DensityRatioClassifier(double[] weights, double intercept) {
        this.weights = weights;
        this.intercept = intercept;
    }

    /**
     * Fits the classifier (scikit-learn's defaults: \( C = 1 \), balanced class weights).
     *
     * @param embeddings prompt embeddings, one row per prompt, all of the same dimension
     * @param desirable true for a desirable prompt, one per row; both classes must occur
     * @return the fitted classifier
     */
    public static DensityRatioClassifier fit(double[][] embeddings, boolean[] desirable) {
        return fit(embeddings, desirable, 1.0);
    }

    /**
     * Fits the classifier with inverse regularisation strength {@code c}.
     *
     * @param embeddings prompt embeddings, one row per prompt
     * @param desirable true for a desirable prompt, one per row; both classes must occur
     * @param c \( C > 0 \)
     * @return the fitted classifier
     */
    public static DensityRatioClassifier fit(double[][] embeddings, boolean[] desirable, double c) {
        String comp = "bco-udm";
        LossChecks.positive(comp, "c", c);
        if (embeddings == null || desirable == null || embeddings.length != desirable.length) {
            throw LossChecks.bad(
                    comp,
                    "embeddings and labels do not match",
                    embeddings == null || desirable == null
                            ? "null"
                            : embeddings.length + " rows, " + desirable.length + " labels",
                    "expected one label per embedding row");
        }
        int n = embeddings.length;
        int pos = 0;
        for (boolean d : desirable) {
            pos += d ? 1 : 0;
        }
        if (pos == 0 || pos == n) {
            throw LossChecks.bad(
                    comp,
                    "only one class of prompts",
                    pos + " desirable of " + n,
                    "expected desirable and undesirable prompts to fit the classifier");
        }
        int d = embeddings[0].length;
        for (double[] row : embeddings) {
            if (row.length != d) {
                throw LossChecks.bad(
                        comp,
                        "embedding rows differ in length",
                        row.length + " vs " + d,
                        "expected one dimension for every prompt");
            }
        }
        double[] s = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = desirable[i] ? 1 : 0;
            s[i] = c * n / (2.0 * (desirable[i] ? pos : n - pos));
        }
        Problem p = new Problem(embeddings, t, s, d);
        double[] theta = new double[d + 1]; // weights, then the intercept
        double[] g = p.gradient(theta);
        double g0 = norm(g);
        for (int iter = 0; iter < 100 && norm(g) > 1e-10 * Math.max(1, g0); iter++) {
            double[] step = p.newtonStep(theta, g);
            double f = p.value(theta);
            double slope = dot(g, step);
            double a = 1;
            double[] next = axpy(theta, step, a);
            while (p.value(next) > f + 1e-4 * a * slope && a > 1e-12) {
                a /= 2;
                next = axpy(theta, step, a);
            }
            theta = next;
            g = p.gradient(theta);
        }
        return new DensityRatioClassifier(Arrays.copyOf(theta, d), theta[d]);
    }

    /**
     * The fitted coefficients.
     *
     * @return a copy of \( w \)
     */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * The fitted intercept.
     *
     * @return \( b \)
     */
    public double intercept() {
        return intercept;
    }

    /**
     * The predicted probability that {@code embedding} is a desirable prompt.
     *
     * @param embedding one prompt embedding
     * @return \( \sigma(w \cdot x + b) \)
     */
    public double probabilityDesirable(double[] embedding) {
        if (embedding.length != weights.length) {
            throw LossChecks.bad(
                    "bco-udm",
                    "embedding has the wrong dimension",
                    embedding.length,
                    "expected " + weights.length);
        }
        return sigmoid(dot(weights, embedding) + intercept);
    }

    /**
     * BCO's UDM example weights: 1 for desirable examples, \( \mathrm{clip}(p/(1-p+10^{-8}),
     * \mathrm{min}, \mathrm{max}) \) for undesirable ones.
     *
     * @param embeddings prompt embeddings, one row per example
     * @param desirable 1 (desirable) or 0 per example
     * @param minRatio lower clip (TRL {@code min_density_ratio}, 0.5)
     * @param maxRatio upper clip (TRL {@code max_density_ratio}, 10)
     * @return one weight per example
     */
    public double[] weights(
            double[][] embeddings, double[] desirable, double minRatio, double maxRatio) {
        double[] w = new double[embeddings.length];
        for (int i = 0; i < w.length; i++) {
            if (desirable[i] != 0) {
                w[i] = 1;
            } else {
                double p = probabilityDesirable(embeddings[i]);
                w[i] = Math.min(maxRatio, Math.max(minRatio, p / (1 - p + 1e-8)));
            }
        }
        return w;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double dot(double[] a, double[] b) {
        double r = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            r += a[i] * b[i];
        }
        return r;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] axpy(double[] x, double[] y, double a) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += a * y[i];
        }
        return r;
    }

    /** The penalised, class-weighted logistic loss and its derivatives. */
    private record Problem(double[][] x, double[] t, double[] s, int d) {
        double margin(double[] theta, int i) {
            return dot(theta, x[i]) + theta[d];
        }

        double value(double[] theta) {
            double f = 0;
            for (int j = 0; j < d; j++) {
                f += 0.5 * theta[j] * theta[j];
            }
            for (int i = 0; i < x.length; i++) {
                double z = margin(theta, i);
                double y = t[i] == 1 ? z : -z; // log(1 + e^{-y z}) = softplus(-y z)
                f += s[i] * (Math.max(-y, 0) + Math.log1p(Math.exp(-Math.abs(y))));
            }
            return f;
        }

        double[] gradient(double[] theta) {
            double[] g = new double[d + 1];
            System.arraycopy(theta, 0, g, 0, d);
            for (int i = 0; i < x.length; i++) {
                double r = s[i] * (sigmoid(margin(theta, i)) - t[i]);
                for (int j = 0; j < d; j++) {
                    g[j] += r * x[i][j];
                }
                g[d] += r;
            }
            return g;
        }

        /** Solves H p = -g by conjugate gradients with Hessian-vector products. */
        double[] newtonStep(double[] theta, double[] g) {
            double[] h = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double q = sigmoid(margin(theta, i));
                h[i] = s[i] * q * (1 - q);
            }
            double[] p = new double[d + 1];
            double[] r = new double[d + 1];
            for (int j = 0; j <= d; j++) {
                r[j] = -g[j];
            }
            double[] dir = r.clone();
            double rr = dot(r, r);
            double stop = 1e-20 * Math.max(1, rr);
            for (int k = 0; k < Math.max(2 * (d + 1), 50) && rr > stop; k++) {
                double[] hd = hessianTimes(h, dir);
                double a = rr / dot(dir, hd);
                p = axpy(p, dir, a);
                r = axpy(r, hd, -a);
                double rrNext = dot(r, r);
                dir = axpy(r, dir, rrNext / rr);
                rr = rrNext;
            }
            return p;
        }

        double[] hessianTimes(double[] h, double[] v) {
            double[] out = new double[d + 1];
            System.arraycopy(v, 0, out, 0, d); // the L2 term (no penalty on the intercept)
            for (int i = 0; i < x.length; i++) {
                double u = h[i] * (dot(v, x[i]) + v[d]);
                for (int j = 0; j < d; j++) {
                    out[j] += u * x[i][j];
                }
                out[d] += u;
            }
            return out;
        }
    }
}
