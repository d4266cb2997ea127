#include "server/report_html.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos;
       at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

TEST(SvgChartTest, MapsDataToThePlotAreaAndClamps) {
  Chart chart{"t", "x", "y", 0, 10, 0, 1, {{"s", "red", {{0, 0}, {10, 1}, {20, -1}}, false}}};
  std::string svg = SvgChart(chart);
  // (0,0) is the bottom-left corner, (10,1) the top-right; (20,-1) clamps
  // to the bottom-right.
  EXPECT_THAT(svg, HasSubstr("points='60.0,270.0 400.0,30.0 400.0,270.0 '"));
  EXPECT_EQ(Count(svg, "<circle"), 0);
  chart.series[0].markers = true;
  EXPECT_EQ(Count(SvgChart(chart), "<circle"), 3);
}

TEST(SvgChartTest, EscapesText) {
  EXPECT_EQ(HtmlEscape("a<b & 'c' \"d\">"),
            "a&lt;b &amp; &#39;c&#39; &quot;d&quot;&gt;");
  std::string svg = SvgChart({"<script>", "x", "y", 0, 1, 0, 1, {}});
  EXPECT_THAT(svg, Not(HasSubstr("<script>")));
}

StoredModel SampleModel() {
  StoredModel model;
  model.set_family("hit_rate");
  model.set_version(3);
  TrainingReport* r = model.mutable_report();
  r->set_train_auc(0.7);
  r->set_validation_auc(0.6);
  for (double v : {0.0, 0.5, 1.0}) {
    RocPoint* p = r->add_roc();
    p->set_false_positive_rate(v);
    p->set_true_positive_rate(v);
  }
  ReliabilityBin* bin = r->add_reliability();
  bin->set_count(5);
  bin->set_mean_predicted(0.3);
  bin->set_observed_rate(0.4);
  r->add_validation_auc_by_round(0.55);
  r->add_validation_auc_by_round(0.6);
  FeatureImportance* f = r->add_importance();
  f->set_feature("price<1>");
  f->set_gain(2.5);
  return model;
}

TEST(TrainingReportHtmlTest, HasFiguresPlotsAndImportance) {
  std::string html = TrainingReportHtml(SampleModel(), "", PriceWhatIf());
  EXPECT_THAT(html, HasSubstr("hit_rate v3"));
  EXPECT_THAT(html, HasSubstr("<td>0.6000</td>"));
  EXPECT_THAT(html, HasSubstr("ROC curve"));
  EXPECT_THAT(html, HasSubstr("Calibration"));
  EXPECT_THAT(html, HasSubstr("price&lt;1&gt;"));
  EXPECT_EQ(Count(html, "<svg"), 3);  // no sweep without points
}

TEST(TrainingReportHtmlTest, DrawsThePriceSweepWithItsBestPrice) {
  PriceWhatIf sweep;
  for (double price : {100.0, 200.0}) {
    sweep.points.push_back({price, 0.5, 0.5, 0.25 * price});
  }
  sweep.best = sweep.points.back();
  std::string html = TrainingReportHtml(SampleModel(), "OPP-1", sweep);
  EXPECT_EQ(Count(html, "<svg"), 5);
  EXPECT_THAT(html, HasSubstr("Price sweep of OPP-1"));
  EXPECT_THAT(html, HasSubstr("best price 200.00"));
}

}  // namespace
}  // namespace c360
