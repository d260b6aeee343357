package io.dnslb.health;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an http(s) check reads the load figure its backend reports ({@code load { header = "X-Load" }}
 * or {@code load { json = "load" }}, a number 0-100), and how the figure scales the member's
 * weight: full weight at or below {@code low}, a tenth at or above {@code high}, linear between.
 * A tenth, never 0: the member keeps some clients, so its figure keeps coming and can fall again.
 *
 * @param header response header holding the figure, or null
 * @param json top-level number field of a JSON body holding the figure, or null
 */
public record LoadSpec(String header, String json, double low, double high) {
  public static final double DEFAULT_LOW = 50;
  public static final double DEFAULT_HIGH = 90;
  /** The weight share of a member at or above {@code high}. */
  public static final double FLOOR = 0.1;
  /** The largest body read for a JSON figure; a health endpoint's answer is small. */
  public static final int MAX_BODY = 64 * 1024;

  /** The weight factor for a (smoothed) load figure; 1 for NaN (no figure: weight unchanged). */
  public double factor(double load) {
    if (Double.isNaN(load) || load <= low) {
      return 1.0;
    }
    if (load >= high) {
      return FLOOR;
    }
    return 1.0 - (1.0 - FLOOR) * (load - low) / (high - low);
  }

  /**
   * The figure from a header value or a JSON body, clamped to 0-100; NaN when absent or not a
   * number. The JSON lookup is a plain search for {@code "field": number}: health endpoints
   * answer small flat objects, and a full parser here would be a dependency for one number.
   */
  public static double parse(String text) {
    if (text == null) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(text.trim());
      return Double.isFinite(v) ? Math.max(0, Math.min(100, v)) : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  public double fromJson(String body) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(json) + "\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)")
        .matcher(body);
    return m.find() ? parse(m.group(1)) : Double.NaN;
  }
}
