#include "server/report_html.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "ml/evaluation.h"

namespace c360 {
namespace {

// Chart geometry in SVG user units.
constexpr double kWidth = 420, kHeight = 320;
constexpr double kLeft = 60, kRight = 20, kTop = 30, kBottom = 50;
constexpr int kTicks = 5;

constexpr char kBlue[] = "#1f77b4";
constexpr char kOrange[] = "#ff7f0e";
constexpr char kGrey[] = "#999999";

double Clamp01(double v) { return std::min(1.0, std::max(0.0, v)); }

// Data to SVG coordinates; y grows downwards in SVG.
double PlotX(const Chart& c, double x) {
  double t = c.x_max > c.x_min ? (x - c.x_min) / (c.x_max - c.x_min) : 0;
  return kLeft + Clamp01(t) * (kWidth - kLeft - kRight);
}
double PlotY(const Chart& c, double y) {
  double t = c.y_max > c.y_min ? (y - c.y_min) / (c.y_max - c.y_min) : 0;
  return kHeight - kBottom - Clamp01(t) * (kHeight - kTop - kBottom);
}

// Tick values print with few digits: "0.25", "1200".
std::string TickLabel(double v) { return absl::StrFormat("%.4g", v); }

std::string Axes(const Chart& c) {
  std::string svg = absl::StrFormat(
      "<line x1='%g' y1='%g' x2='%g' y2='%g' stroke='black'/>"
      "<line x1='%g' y1='%g' x2='%g' y2='%g' stroke='black'/>",
      kLeft, kHeight - kBottom, kWidth - kRight, kHeight - kBottom, kLeft,
      kTop, kLeft, kHeight - kBottom);
  for (int i = 0; i <= kTicks; ++i) {
    double x = c.x_min + (c.x_max - c.x_min) * i / kTicks;
    double y = c.y_min + (c.y_max - c.y_min) * i / kTicks;
    absl::StrAppendFormat(
        &svg,
        "<text x='%g' y='%g' font-size='10' text-anchor='middle'>%s</text>"
        "<text x='%g' y='%g' font-size='10' text-anchor='end'>%s</text>",
        PlotX(c, x), kHeight - kBottom + 14, TickLabel(x), kLeft - 4,
        PlotY(c, y) + 3, TickLabel(y));
  }
  absl::StrAppendFormat(
      &svg,
      "<text x='%g' y='%g' font-size='12' text-anchor='middle'>%s</text>"
      "<text x='14' y='%g' font-size='12' text-anchor='middle' "
      "transform='rotate(-90 14 %g)'>%s</text>"
      "<text x='%g' y='18' font-size='13' text-anchor='middle' "
      "font-weight='bold'>%s</text>",
      (kLeft + kWidth - kRight) / 2, kHeight - 12, HtmlEscape(c.x_label),
      (kTop + kHeight - kBottom) / 2, (kTop + kHeight - kBottom) / 2,
      HtmlEscape(c.y_label), kWidth / 2, HtmlEscape(c.title));
  return svg;
}

std::string Line(const Chart& c, const ChartSeries& s) {
  std::string points, dots;
  for (const auto& [x, y] : s.points) {
    absl::StrAppendFormat(&points, "%.1f,%.1f ", PlotX(c, x), PlotY(c, y));
    if (s.markers) {
      absl::StrAppendFormat(&dots, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>",
                            PlotX(c, x), PlotY(c, y), s.color);
    }
  }
  return absl::StrFormat(
      "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%s",
      s.color, points, dots);
}

// Bottom right: the corner that ROC, calibration, learning and price
// curves leave empty.
std::string Legend(const Chart& c) {
  constexpr double kLegendWidth = 150;
  const double left = kWidth - kRight - kLegendWidth;
  std::string svg;
  for (size_t i = 0; i < c.series.size(); ++i) {
    double y = kHeight - kBottom - 10 - 14 * (c.series.size() - 1 - i);
    absl::StrAppendFormat(
        &svg,
        "<rect x='%g' y='%g' width='10' height='3' fill='%s'/>"
        "<text x='%g' y='%g' font-size='10'>%s</text>",
        left, y - 3, c.series[i].color, left + 14, y,
        HtmlEscape(c.series[i].label));
  }
  return svg;
}

// A diagonal from (0,0) to (1,1): chance for ROC, perfect calibration.
ChartSeries Diagonal(const std::string& label) {
  return {label, kGrey, {{0, 0}, {1, 1}}, false};
}

std::string RocChart(const TrainingReport& r) {
  ChartSeries roc{absl::StrFormat("validation (AUC %.3f)", r.validation_auc()),
                  kBlue, {}, false};
  for (const RocPoint& p : r.roc()) {
    roc.points.emplace_back(p.false_positive_rate(), p.true_positive_rate());
  }
  return SvgChart({"ROC curve", "false positive rate", "true positive rate",
                   0, 1, 0, 1, {roc, Diagonal("chance")}});
}

std::string ReliabilityChart(const TrainingReport& r) {
  ChartSeries observed{"observed win rate", kOrange, {}, true};
  for (const ReliabilityBin& bin : r.reliability()) {
    if (bin.count() > 0) {
      observed.points.emplace_back(bin.mean_predicted(), bin.observed_rate());
    }
  }
  return SvgChart({"Calibration", "predicted hit rate", "observed win rate", 0,
                   1, 0, 1, {observed, Diagonal("perfect calibration")}});
}

std::string LearningChart(const TrainingReport& r) {
  ChartSeries auc{"validation AUC", kBlue, {}, false};
  double lo = 1, hi = 0;
  for (int i = 0; i < r.validation_auc_by_round_size(); ++i) {
    double v = r.validation_auc_by_round(i);
    auc.points.emplace_back(i + 1, v);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return SvgChart({absl::StrCat("Learning curve (kept ", r.best_rounds(),
                                " rounds)"),
                   "boosting round", "validation AUC", 1,
                   std::max<double>(2, auc.points.size()), lo, std::max(hi, lo + 0.01),
                   {auc}});
}

// Hit rate and expected profit over the price, as two charts side by side.
std::string SweepCharts(const std::string& id, const PriceWhatIf& sweep) {
  ChartSeries hit{"hit rate", kBlue, {}, true};
  ChartSeries profit{"expected profit", kOrange, {}, true};
  double top = 0;
  for (const PricePoint& p : sweep.points) {
    hit.points.emplace_back(p.price, p.hit_rate);
    profit.points.emplace_back(p.price, p.expected_profit);
    top = std::max(top, p.expected_profit);
  }
  double lo = sweep.points.front().price, hi = sweep.points.back().price;
  ChartSeries best{absl::StrFormat("best price %.2f", sweep.best.price), kGrey,
                   {{sweep.best.price, 0}, {sweep.best.price, top}}, false};
  std::string title = absl::StrCat("Price sweep of ", id);
  return SvgChart({title, "price", "hit rate", lo, hi, 0, 1, {hit}}) +
         SvgChart({title, "price", "expected profit", lo, hi, 0,
                   std::max(top, 1e-9), {profit, best}});
}

std::string Row(const std::string& name, const std::string& value) {
  return absl::StrCat("<tr><th>", HtmlEscape(name), "</th><td>",
                      HtmlEscape(value), "</td></tr>");
}

// "0.5912 (0.5801, 0.6023, ...)": the folds' mean, then each; "not run"
// without folds.
std::string CrossValidationText(const TrainingReport& r) {
  if (r.cross_validation_auc_size() == 0) return "not run";
  return absl::StrFormat(
      "%.4f mean of %d folds (%s)", MeanCrossValidationAuc(r),
      r.cross_validation_auc_size(),
      absl::StrJoin(r.cross_validation_auc(), ", ",
                    [](std::string* out, double auc) {
                      absl::StrAppendFormat(out, "%.4f", auc);
                    }));
}

std::string SummaryTable(const StoredModel& m) {
  const TrainingReport& r = m.report();
  const TrainingDataSummary& d = m.data();
  const ConfusionMatrix& c = r.confusion();
  return absl::StrCat(
      "<table>", Row("model", absl::StrCat(m.family(), " v", m.version())),
      Row("feature set", m.schema().feature_set()),
      Row("data", d.source()),
      Row("train won / lost", absl::StrCat(d.train_won(), " / ", d.train_lost())),
      Row("validation won / lost",
          absl::StrCat(d.validation_won(), " / ", d.validation_lost())),
      Row("train AUC", absl::StrFormat("%.4f", r.train_auc())),
      Row("validation AUC", absl::StrFormat("%.4f", r.validation_auc())),
      Row("cross-validation AUC", CrossValidationText(r)),
      Row("Brier score", absl::StrFormat("%.4f", r.brier())),
      Row(absl::StrFormat("confusion at %.2f (TP FP TN FN)", c.threshold()),
          absl::StrCat(c.true_positives(), " ", c.false_positives(), " ",
                       c.true_negatives(), " ", c.false_negatives())),
      "</table>");
}

std::string ImportanceTable(const TrainingReport& r) {
  std::string html =
      "<table><tr><th>feature</th><th>gain</th><th>cover</th>"
      "<th>weight</th></tr>";
  for (const FeatureImportance& f : r.importance()) {
    absl::StrAppendFormat(
        &html, "<tr><td>%s</td><td>%.3f</td><td>%.1f</td><td>%.0f</td></tr>",
        HtmlEscape(f.feature()), f.gain(), f.cover(), f.weight());
  }
  return html + "</table>";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string SvgChart(const Chart& chart) {
  std::string svg = absl::StrFormat(
      "<svg xmlns='http://www.w3.org/2000/svg' width='%g' height='%g' "
      "viewBox='0 0 %g %g'>",
      kWidth, kHeight, kWidth, kHeight);
  svg += Axes(chart);
  for (const ChartSeries& s : chart.series) svg += Line(chart, s);
  return svg + Legend(chart) + "</svg>";
}

std::string TrainingReportHtml(const StoredModel& model,
                               const std::string& sweep_id,
                               const PriceWhatIf& sweep) {
  const TrainingReport& r = model.report();
  std::string title = HtmlEscape(
      absl::StrCat("c360 hit-rate model ", model.family(), " v",
                   model.version()));
  return absl::StrCat(
      "<!DOCTYPE html><html><head><meta charset='utf-8'><title>", title,
      "</title><style>body{font-family:sans-serif;margin:2em}"
      "table{border-collapse:collapse;margin:1em 0}"
      "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}"
      "svg{margin:0.5em}</style></head><body><h1>",
      title, "</h1>", SummaryTable(model), "<div>", RocChart(r),
      ReliabilityChart(r), LearningChart(r),
      sweep.points.empty() ? "" : SweepCharts(sweep_id, sweep),
      "</div><h2>Feature importance</h2>", ImportanceTable(r),
      "</body></html>\n");
}

}  // namespace c360
