// The training report of a hit-rate model as one self-contained HTML page:
// figures, tables and plots drawn as inline SVG by the project itself (no
// scripts, no external assets), so the page opens anywhere offline.
#ifndef C360_SERVER_REPORT_HTML_H_
#define C360_SERVER_REPORT_HTML_H_

#include <string>
#include <utility>
#include <vector>

#include "c360/opportunity.pb.h"
#include "ml/scorer.h"

namespace c360 {

// One line of a chart.
struct ChartSeries {
  std::string label;
  // A CSS colour, e.g. "#1f77b4".
  std::string color;
  // (x, y) in data units, drawn in order.
  std::vector<std::pair<double, double>> points;
  // Draws a dot on each point as well as the line.
  bool markers = false;
};

// A line chart over fixed axis ranges.
struct Chart {
  std::string title;
  std::string x_label;
  std::string y_label;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  std::vector<ChartSeries> series;
};

// `chart` as an <svg> element with axes, five ticks per axis and a legend.
// Points outside the ranges are clamped to the plot's edge.
std::string SvgChart(const Chart& chart);

// `text` with &, <, >, " and ' escaped for HTML text and attributes.
std::string HtmlEscape(const std::string& text);

// The page for `model` (without reading its model bytes): data summary,
// train vs validation AUC, Brier score, confusion matrix, ROC curve,
// reliability diagram, learning curve, feature importance and, when
// `sweep` has points, the price sweep of opportunity `sweep_id`.
std::string TrainingReportHtml(const StoredModel& model,
                               const std::string& sweep_id,
                               const PriceWhatIf& sweep);

}  // namespace c360

#endif  // C360_SERVER_REPORT_HTML_H_
