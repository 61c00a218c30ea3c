package dev.reward4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Independent float64 ND4J references for the research objectives (GPM, mixture and responsibility
 * BT, PAL-A, per-step BCE, GenARM): textbook forms written element by element with hand-derived
 * gradients, sharing no code with the DJL implementations. Each returns the MEAN-reduced loss with
 * example weights {@code w} and its gradient wrt every differentiable input.
 */
final class ResearchRef {
    private ResearchRef() {}

    static {
        Nd4j.setDefaultDataTypes(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE,
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    }

    private static double sp(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double sig(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** sum(w), or 1 when it is 0 (the MEAN contract). */
    private static double denom(INDArray w) {
        double t = w.sumNumber().doubleValue();
        return t == 0 ? 1 : t;
    }

    private static INDArray zeros(INDArray like) {
        return Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, like.shape());
    }

    /** GPM: ec, er (B, 2k), optional gate logits g (B, k) (null = gate 1). */
    static Ref.Result gpm(INDArray ec, INDArray er, INDArray g, INDArray w, double tau) {
        long b = ec.size(0);
        int k = (int) (ec.size(1) / 2);
        double total = denom(w);
        double loss = 0;
        INDArray gec = zeros(ec);
        INDArray ger = zeros(er);
        INDArray gg = g == null ? null : zeros(g);
        for (int i = 0; i < b; i++) {
            double[] vc = unit(ec, i);
            double[] vr = unit(er, i);
            double[] lam = new double[k];
            double[] p = new double[k];
            if (g == null) {
                java.util.Arrays.fill(lam, 1);
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < k; l++) {
                    max = Math.max(max, g.getDouble(i, l));
                }
                double z = 0;
                for (int l = 0; l < k; l++) {
                    p[l] = Math.exp(g.getDouble(i, l) - max);
                    z += p[l];
                }
                for (int l = 0; l < k; l++) {
                    p[l] /= z;
                    lam[l] = k * p[l];
                }
            }
            double s = 0;
            double[] blocks = new double[k];
            for (int l = 0; l < k; l++) {
                blocks[l] = vc[2 * l] * vr[2 * l + 1] - vc[2 * l + 1] * vr[2 * l];
                s += lam[l] * blocks[l];
            }
            double z = s / tau;
            double wi = w.getDouble(i) / total;
            loss += w.getDouble(i) * sp(-z) / total;
            double ds = -sig(-z) / tau * wi;
            double[] dvc = new double[2 * k];
            double[] dvr = new double[2 * k];
            for (int l = 0; l < k; l++) {
                dvc[2 * l] = ds * lam[l] * vr[2 * l + 1];
                dvc[2 * l + 1] = -ds * lam[l] * vr[2 * l];
                dvr[2 * l + 1] = ds * lam[l] * vc[2 * l];
                dvr[2 * l] = -ds * lam[l] * vc[2 * l + 1];
            }
            putUnitGradient(gec, ec, i, vc, dvc);
            putUnitGradient(ger, er, i, vr, dvr);
            if (g != null) {
                double mean = 0;
                for (int l = 0; l < k; l++) {
                    mean += p[l] * blocks[l];
                }
                for (int j = 0; j < k; j++) {
                    gg.putScalar(new long[] {i, j}, ds * k * p[j] * (blocks[j] - mean));
                }
            }
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("ec", gec);
        grads.put("er", ger);
        if (g != null) {
            grads.put("g", gg);
        }
        return new Ref.Result(loss, grads);
    }

    /** v = e / sqrt(|e|^2 + eps) of row i. */
    private static double[] unit(INDArray e, int i) {
        int d = (int) e.size(1);
        double n2 = PreferenceEmbeddingLosses.NORM_EPSILON;
        for (int j = 0; j < d; j++) {
            n2 += e.getDouble(i, j) * e.getDouble(i, j);
        }
        double n = Math.sqrt(n2);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = e.getDouble(i, j) / n;
        }
        return v;
    }

    /** Back through v = e / n, n = sqrt(|e|^2 + eps): de_m = dv_m / n - e_m (e . dv) / n^3. */
    private static void putUnitGradient(INDArray out, INDArray e, int i, double[] v, double[] dv) {
        int d = v.length;
        double n2 = PreferenceEmbeddingLosses.NORM_EPSILON;
        for (int j = 0; j < d; j++) {
            n2 += e.getDouble(i, j) * e.getDouble(i, j);
        }
        double n = Math.sqrt(n2);
        double eDotDv = 0;
        for (int j = 0; j < d; j++) {
            eDotDv += e.getDouble(i, j) * dv[j];
        }
        for (int m = 0; m < d; m++) {
            out.putScalar(new long[] {i, m}, dv[m] / n - e.getDouble(i, m) * eDotDv / (n * n * n));
        }
    }

    /** Mixture BT: rc, rr, router logits a (null = uniform). */
    static Ref.Result mixture(INDArray rc, INDArray rr, INDArray a, INDArray w) {
        long b = rc.size(0);
        int k = (int) rc.size(1);
        double total = denom(w);
        double loss = 0;
        INDArray grc = zeros(rc);
        INDArray grr = zeros(rr);
        INDArray ga = a == null ? null : zeros(a);
        for (int i = 0; i < b; i++) {
            double[] wk = new double[k];
            if (a == null) {
                java.util.Arrays.fill(wk, 1.0 / k);
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, a.getDouble(i, j));
                }
                double z = 0;
                for (int j = 0; j < k; j++) {
                    wk[j] = Math.exp(a.getDouble(i, j) - max);
                    z += wk[j];
                }
                for (int j = 0; j < k; j++) {
                    wk[j] /= z;
                }
            }
            // log P = log sum_k w_k sigma(d_k), via the max of log terms
            double[] t = new double[k];
            double tmax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double d = rc.getDouble(i, j) - rr.getDouble(i, j);
                t[j] = Math.log(wk[j]) - sp(-d);
                tmax = Math.max(tmax, t[j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(t[j] - tmax);
            }
            double logP = tmax + Math.log(sum);
            double scale = w.getDouble(i) / total;
            loss += -logP * scale;
            for (int j = 0; j < k; j++) {
                double q = Math.exp(t[j] - logP);
                double d = rc.getDouble(i, j) - rr.getDouble(i, j);
                double dd = -q * sig(-d) * scale;
                grc.putScalar(new long[] {i, j}, dd);
                grr.putScalar(new long[] {i, j}, -dd);
                if (a != null) {
                    ga.putScalar(new long[] {i, j}, (wk[j] - q) * scale);
                }
            }
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("rc", grc);
        grads.put("rr", grr);
        if (a != null) {
            grads.put("a", ga);
        }
        return new Ref.Result(loss, grads);
    }

    /** Responsibility BT: sum_k rho_k softplus(-(rc_k - rr_k)). */
    static Ref.Result responsibility(INDArray rc, INDArray rr, INDArray rho, INDArray w) {
        long b = rc.size(0);
        int k = (int) rc.size(1);
        double total = denom(w);
        double loss = 0;
        INDArray grc = zeros(rc);
        INDArray grr = zeros(rr);
        for (int i = 0; i < b; i++) {
            double scale = w.getDouble(i) / total;
            for (int j = 0; j < k; j++) {
                double d = rc.getDouble(i, j) - rr.getDouble(i, j);
                double r = rho.getDouble(i, j);
                loss += r * sp(-d) * scale;
                grc.putScalar(new long[] {i, j}, -r * sig(-d) * scale);
                grr.putScalar(new long[] {i, j}, r * sig(-d) * scale);
            }
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("rc", grc);
        grads.put("rr", grr);
        return new Ref.Result(loss, grads);
    }

    /** PAL-A: fc, fr (B, D), prototypes p (K, D), user logits u (B, K). */
    static Ref.Result palA(
            INDArray fc, INDArray fr, INDArray p, INDArray u, INDArray w, double tau) {
        long b = fc.size(0);
        int dim = (int) fc.size(1);
        int k = (int) p.size(0);
        double total = denom(w);
        double loss = 0;
        INDArray gfc = zeros(fc);
        INDArray gfr = zeros(fr);
        INDArray gp = zeros(p);
        INDArray gu = zeros(u);
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, u.getDouble(i, j));
            }
            double[] wk = new double[k];
            double zs = 0;
            for (int j = 0; j < k; j++) {
                wk[j] = Math.exp(u.getDouble(i, j) - max);
                zs += wk[j];
            }
            double[] a = new double[dim];
            for (int j = 0; j < k; j++) {
                wk[j] /= zs;
                for (int m = 0; m < dim; m++) {
                    a[m] += wk[j] * p.getDouble(j, m);
                }
            }
            double dc = 0;
            double dr = 0;
            for (int m = 0; m < dim; m++) {
                double xc = fc.getDouble(i, m) - a[m];
                double xr = fr.getDouble(i, m) - a[m];
                dc += xc * xc;
                dr += xr * xr;
            }
            double z = (dr - dc) / tau;
            double scale = w.getDouble(i) / total;
            loss += sp(-z) * scale;
            double dz = -sig(-z) * scale;
            double[] da = new double[dim];
            for (int m = 0; m < dim; m++) {
                double xc = fc.getDouble(i, m) - a[m];
                double xr = fr.getDouble(i, m) - a[m];
                gfc.putScalar(new long[] {i, m}, dz * (-2 * xc / tau));
                gfr.putScalar(new long[] {i, m}, dz * (2 * xr / tau));
                da[m] = dz * (2 * (fc.getDouble(i, m) - fr.getDouble(i, m)) / tau);
            }
            double[] dw = new double[k];
            for (int j = 0; j < k; j++) {
                for (int m = 0; m < dim; m++) {
                    gp.putScalar(new long[] {j, m}, gp.getDouble(j, m) + wk[j] * da[m]);
                    dw[j] += da[m] * p.getDouble(j, m);
                }
            }
            double mean = 0;
            for (int j = 0; j < k; j++) {
                mean += wk[j] * dw[j];
            }
            for (int j = 0; j < k; j++) {
                gu.putScalar(new long[] {i, j}, wk[j] * (dw[j] - mean));
            }
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("fc", gfc);
        grads.put("fr", gfr);
        grads.put("p", gp);
        grads.put("u", gu);
        return new Ref.Result(loss, grads);
    }

    /** Per-step BCE summed over real steps: z, y, m (B, S). */
    static Ref.Result stepBce(INDArray z, INDArray y, INDArray m, INDArray w) {
        long b = z.size(0);
        long s = z.size(1);
        double total = denom(w);
        double loss = 0;
        INDArray gz = zeros(z);
        for (int i = 0; i < b; i++) {
            double scale = w.getDouble(i) / total;
            for (int j = 0; j < s; j++) {
                double x = z.getDouble(i, j);
                double t = y.getDouble(i, j);
                double mask = m.getDouble(i, j);
                loss += mask * (t * sp(-x) + (1 - t) * sp(x)) * scale;
                gz.putScalar(new long[] {i, j}, mask * (sig(x) - t) * scale);
            }
        }
        return new Ref.Result(loss, Map.of("z", gz));
    }

    /** GenARM: softplus(-beta (pc - pr)). */
    static Ref.Result genArm(INDArray pc, INDArray pr, INDArray w, double beta) {
        long b = pc.size(0);
        double total = denom(w);
        double loss = 0;
        INDArray gc = zeros(pc);
        INDArray gr = zeros(pr);
        for (int i = 0; i < b; i++) {
            double scale = w.getDouble(i) / total;
            double z = beta * (pc.getDouble(i) - pr.getDouble(i));
            loss += sp(-z) * scale;
            gc.putScalar(i, -beta * sig(-z) * scale);
            gr.putScalar(i, beta * sig(-z) * scale);
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("pc", gc);
        grads.put("pr", gr);
        return new Ref.Result(loss, grads);
    }
}
