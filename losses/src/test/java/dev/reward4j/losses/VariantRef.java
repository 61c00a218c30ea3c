package dev.reward4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Independent float64 references for the token-level, labeled, joint, absolute-likelihood and
 * triple objectives: per-row textbook forms and hand-derived partial derivatives in plain Java
 * doubles (no autodiff, no code shared with the DJL implementation), returned as {@link
 * Ref.PerExample} for {@link Ref#weightedMean}.
 */
final class VariantRef {
    private VariantRef() {}

    static double sp(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double[][] m(INDArray a) {
        return a.rank() == 1 ? new double[][] {a.toDoubleVector()} : a.toDoubleMatrix();
    }

    static double[] v(INDArray a) {
        return a.toDoubleVector();
    }

    static INDArray nd(double[] d) {
        return Nd4j.createFromArray(d);
    }

    static INDArray nd(double[][] d) {
        return Nd4j.createFromArray(d);
    }

    /** Partials map from alternating name, array pairs. */
    static Map<String, INDArray> parts(Object... kv) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object x = kv[i + 1];
            out.put((String) kv[i], x instanceof double[][] d2 ? nd(d2) : nd((double[]) x));
        }
        return out;
    }

    // ---- supervised ----

    /** l_b = -sum_t m_bt lp_bt; partial wrt lp is -m. */
    static Ref.PerExample weightedNll(Map<String, INDArray> a) {
        double[][] lp = m(a.get("lp")), mk = m(a.get("m"));
        int b = lp.length;
        double[] loss = new double[b];
        double[][] g = new double[b][lp[0].length];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < lp[i].length; t++) {
                loss[i] -= mk[i][t] * lp[i][t];
                g[i][t] = -mk[i][t];
            }
        }
        return new Ref.PerExample(nd(loss), parts("lp", g));
    }

    // ---- token level ----

    /**
     * TDPO1 (alpha = 1, stop = false) and TDPO2 (stop = true): partials wrt pc, pr, rc, rr, kc, kr.
     */
    static Ref.PerExample tdpo(Map<String, INDArray> a, double beta, double alpha, boolean stop) {
        double[][] pc = m(a.get("pc")),
                pr = m(a.get("pr")),
                rc = m(a.get("rc")),
                rr = m(a.get("rr")),
                kc = m(a.get("kc")),
                kr = m(a.get("kr")),
                mc = m(a.get("mc")),
                mr = m(a.get("mr"));
        int b = pc.length;
        double[] loss = new double[b];
        double[][] gpc = new double[b][pc[0].length],
                grc = new double[b][pc[0].length],
                gkc = new double[b][pc[0].length];
        double[][] gpr = new double[b][pr[0].length],
                grr = new double[b][pr[0].length],
                gkr = new double[b][pr[0].length];
        for (int i = 0; i < b; i++) {
            double rhoC = 0, rhoR = 0, klC = 0, klR = 0;
            for (int t = 0; t < pc[i].length; t++) {
                rhoC += (pc[i][t] - rc[i][t]) * mc[i][t];
                klC += kc[i][t] * mc[i][t];
            }
            for (int t = 0; t < pr[i].length; t++) {
                rhoR += (pr[i][t] - rr[i][t]) * mr[i][t];
                klR += kr[i][t] * mr[i][t];
            }
            double z = beta * (rhoC - rhoR + alpha * (klC - klR));
            loss[i] = sp(-z);
            double dz = -sig(-z);
            for (int t = 0; t < pc[i].length; t++) {
                gpc[i][t] = dz * beta * mc[i][t];
                grc[i][t] = -gpc[i][t];
                gkc[i][t] = stop ? 0 : dz * beta * alpha * mc[i][t];
            }
            for (int t = 0; t < pr[i].length; t++) {
                gpr[i][t] = -dz * beta * mr[i][t];
                grr[i][t] = -gpr[i][t];
                gkr[i][t] = -dz * beta * alpha * mr[i][t];
            }
        }
        return new Ref.PerExample(
                nd(loss), parts("pc", gpc, "pr", gpr, "rc", grc, "rr", grr, "kc", gkc, "kr", gkr));
    }

    /** SparsePO with reward weights uc, ur and KL weights dc, dr (all differentiable). */
    static Ref.PerExample sparsePo(Map<String, INDArray> a, double beta) {
        double[][] pc = m(a.get("pc")),
                pr = m(a.get("pr")),
                rc = m(a.get("rc")),
                rr = m(a.get("rr")),
                kc = m(a.get("kc")),
                kr = m(a.get("kr")),
                mc = m(a.get("mc")),
                mr = m(a.get("mr")),
                uc = m(a.get("uc")),
                ur = m(a.get("ur")),
                dc = m(a.get("dc")),
                dr = m(a.get("dr"));
        int b = pc.length;
        int tc = pc[0].length;
        int tr = pr[0].length;
        double[] loss = new double[b];
        double[][] gpc = new double[b][tc],
                grc = new double[b][tc],
                gkc = new double[b][tc],
                guc = new double[b][tc],
                gdc = new double[b][tc];
        double[][] gpr = new double[b][tr],
                grr = new double[b][tr],
                gkr = new double[b][tr],
                gur = new double[b][tr],
                gdr = new double[b][tr];
        for (int i = 0; i < b; i++) {
            double z = 0;
            for (int t = 0; t < tc; t++) {
                z += (uc[i][t] * (pc[i][t] - rc[i][t]) + dc[i][t] * kc[i][t]) * mc[i][t];
            }
            for (int t = 0; t < tr; t++) {
                z -= (ur[i][t] * (pr[i][t] - rr[i][t]) + dr[i][t] * kr[i][t]) * mr[i][t];
            }
            z *= beta;
            loss[i] = sp(-z);
            double g = -sig(-z) * beta;
            for (int t = 0; t < tc; t++) {
                gpc[i][t] = g * uc[i][t] * mc[i][t];
                grc[i][t] = -gpc[i][t];
                guc[i][t] = g * (pc[i][t] - rc[i][t]) * mc[i][t];
                gkc[i][t] = g * dc[i][t] * mc[i][t];
                gdc[i][t] = g * kc[i][t] * mc[i][t];
            }
            for (int t = 0; t < tr; t++) {
                gpr[i][t] = -g * ur[i][t] * mr[i][t];
                grr[i][t] = -gpr[i][t];
                gur[i][t] = -g * (pr[i][t] - rr[i][t]) * mr[i][t];
                gkr[i][t] = -g * dr[i][t] * mr[i][t];
                gdr[i][t] = -g * kr[i][t] * mr[i][t];
            }
        }
        return new Ref.PerExample(
                nd(loss),
                parts(
                        "pc", gpc, "pr", gpr, "rc", grc, "rr", grr, "kc", gkc, "kr", gkr, "uc", guc,
                        "ur", gur, "dc", gdc, "dr", gdr));
    }

    /** Token KL from logits per row, gradient p_pol - p_ref wrt the policy logits. */
    static Ref.PerExample tokenKl(Map<String, INDArray> a) {
        double[][] pl = m(a.get("pl")), rl = m(a.get("rl"));
        int b = pl.length;
        double[] loss = new double[b];
        double[][] g = new double[b][pl[0].length];
        for (int i = 0; i < b; i++) {
            double[] lp = logSoftmax(pl[i]);
            double[] lr = logSoftmax(rl[i]);
            for (int k = 0; k < lp.length; k++) {
                double pref = Math.exp(lr[k]);
                loss[i] += pref * (lr[k] - lp[k]);
                g[i][k] = Math.exp(lp[k]) - pref;
            }
        }
        return new Ref.PerExample(nd(loss), parts("pl", g));
    }

    static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : x) {
            max = Math.max(max, d);
        }
        double s = 0;
        for (double d : x) {
            s += Math.exp(d - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - lse;
        }
        return out;
    }

    // ---- pairwise with labels / joint (rho-based) ----

    /** A loss of z = scale_i (rho_c - rho_r): value(z, label) and d value / d z. */
    interface ZLoss {
        double[] valueAndSlope(double z, double label);
    }

    /** Rho-based loss with a per-row beta; partials wrt pc, pr, rc, rr. */
    static Ref.PerExample viaZ(Map<String, INDArray> a, double[] beta, ZLoss f) {
        double[] pc = v(a.get("pc")), pr = v(a.get("pr")), rc = v(a.get("rc")), rr = v(a.get("rr"));
        double[] label = a.containsKey("label") ? v(a.get("label")) : new double[pc.length];
        int b = pc.length;
        double[] loss = new double[b], gpc = new double[b], gpr = new double[b];
        double[] grc = new double[b], grr = new double[b];
        for (int i = 0; i < b; i++) {
            double z = beta[i] * ((pc[i] - rc[i]) - (pr[i] - rr[i]));
            double[] vs = f.valueAndSlope(z, label[i]);
            loss[i] = vs[0];
            gpc[i] = vs[1] * beta[i];
            grc[i] = -gpc[i];
            gpr[i] = -gpc[i];
            grr[i] = gpc[i];
        }
        return new Ref.PerExample(nd(loss), parts("pc", gpc, "pr", gpr, "rc", grc, "rr", grr));
    }

    static double[] constant(int n, double beta) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, beta);
        return d;
    }

    static ZLoss soft() {
        return (z, p) -> new double[] {p * sp(-z) + (1 - p) * sp(z), sig(z) - p};
    }

    static ZLoss dpo() {
        return (z, p) -> new double[] {sp(-z), -sig(-z)};
    }

    static ZLoss irepo(double eps) {
        return (z, p) -> {
            double q = Math.min(Math.max(p, eps), 1 - eps);
            double e = z - Math.log(q / (1 - q));
            return new double[] {e * e, 2 * e};
        };
    }

    /** MM-DPO's per-row beta from the margin label. */
    static double[] dynamicBeta(Map<String, INDArray> a, double beta, double w, double k) {
        double[] delta = v(a.get("label"));
        double[] out = new double[delta.length];
        for (int i = 0; i < delta.length; i++) {
            out[i] = beta * (1 + w * (1 - Math.exp(-k * delta[i])));
        }
        return out;
    }

    // ---- absolute likelihood ----

    /** ASFT: -mc + lambda [sp(-beta o_c) + sp(beta o_r)], o = x - log(1 - e^x). */
    static Ref.PerExample asft(Map<String, INDArray> a, double beta, double lambda) {
        double[] pc = v(a.get("pc")), pr = v(a.get("pr")), nc = v(a.get("nc")), nr = v(a.get("nr"));
        int b = pc.length;
        double[] loss = new double[b], gpc = new double[b], gpr = new double[b];
        for (int i = 0; i < b; i++) {
            double dc = Math.max(nc[i], 1), dr = Math.max(nr[i], 1);
            double xc = Math.min(pc[i] / dc, -1e-6), xr = Math.min(pr[i] / dr, -1e-6);
            double oc = xc - Math.log(1 - Math.exp(xc)), or = xr - Math.log(1 - Math.exp(xr));
            loss[i] = -pc[i] / dc + lambda * (sp(-beta * oc) + sp(beta * or));
            double dOc = pc[i] / dc < -1e-6 ? 1 / (1 - Math.exp(xc)) : 0;
            double dOr = pr[i] / dr < -1e-6 ? 1 / (1 - Math.exp(xr)) : 0;
            gpc[i] = (-1 + lambda * (-sig(-beta * oc)) * beta * dOc) / dc;
            gpr[i] = lambda * sig(beta * or) * beta * dOr / dr;
        }
        return new Ref.PerExample(nd(loss), parts("pc", gpc, "pr", gpr));
    }

    /** MaPO text form: m_c + beta sp(-gamma (s(m_c) - s(m_r))), s(m) = m / (e^m - 1). */
    static Ref.PerExample mapo(Map<String, INDArray> a, double beta, double gamma) {
        double[] pc = v(a.get("pc")), pr = v(a.get("pr")), nc = v(a.get("nc")), nr = v(a.get("nr"));
        int b = pc.length;
        double[] loss = new double[b], gpc = new double[b], gpr = new double[b];
        for (int i = 0; i < b; i++) {
            double dc = Math.max(nc[i], 1), dr = Math.max(nr[i], 1);
            double mC = -pc[i] / dc, mR = -pr[i] / dr;
            double d = gamma * (s(mC) - s(mR));
            loss[i] = mC + beta * sp(-d);
            double slope = -beta * sig(-d) * gamma;
            gpc[i] = -(1 + slope * sPrime(mC)) / dc;
            gpr[i] = -(-slope * sPrime(mR)) / dr;
        }
        return new Ref.PerExample(nd(loss), parts("pc", gpc, "pr", gpr));
    }

    static double s(double m) {
        return m == 0 ? 1 : m / Math.expm1(m);
    }

    static double sPrime(double m) {
        if (Math.abs(m) < 1e-4) {
            return -0.5 + m / 6;
        }
        double e = Math.expm1(m);
        return (e - m * Math.exp(m)) / (e * e);
    }

    // ---- triple ----

    /** TPO (lengthNormalized = false) and TPO-L: partials wrt pg, pw, pl. */
    static Ref.PerExample tpo(
            Map<String, INDArray> a,
            double beta,
            double gamma,
            double alpha,
            boolean lengthNormalized) {
        double[] pg = v(a.get("pg")),
                pw = v(a.get("pw")),
                pl = v(a.get("pl")),
                ng = v(a.get("ng")),
                nw = v(a.get("nw")),
                nl = v(a.get("nl"));
        int b = pw.length;
        double[] loss = new double[b],
                gpg = new double[b],
                gpw = new double[b],
                gpl = new double[b];
        for (int i = 0; i < b; i++) {
            double dw = lengthNormalized ? Math.max(nw[i], 1) : 1;
            double dl = lengthNormalized ? Math.max(nl[i], 1) : 1;
            double dg = Math.max(ng[i], 1);
            double z = beta * (pw[i] / dw - pl[i] / dl) - gamma;
            loss[i] = sp(-z) - alpha * pg[i] / dg;
            gpw[i] = -sig(-z) * beta / dw;
            gpl[i] = sig(-z) * beta / dl;
            gpg[i] = -alpha / dg;
        }
        return new Ref.PerExample(nd(loss), parts("pg", gpg, "pw", gpw, "pl", gpl));
    }
}
