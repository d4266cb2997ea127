#!/usr/bin/env bash
# The main job on the embedded default: sets up, builds, generates sample
# data of four source systems, loads three of them in bulk into a local
# RocksDB folder with a match model learned by EM from them, ingests the
# fourth record by record (uncertain matches become review tasks), measures
# the entities against the generator's truth, imports purchased company and
# consumer data and matches it to the people, trains hit-rate models on the
# people's sales opportunities with columns from their unified profiles and
# scores the open pipeline, starts the server with the stewards' review
# page, fetches a few unified profiles over gRPC and counts and exports a
# segment of enriched profiles.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
c360=${BUILD_DIR:-build}/server/c360
out=${DEMO_DIR:-demo-out}
people=${DEMO_PEOPLE:-2000}
rm -rf "$out"
mkdir -p "$out"

echo "== generating $people people in four source systems"
"$c360" gen --people "$people" --seed 42 --providers \
  --opportunities $((people * 4)) --out "$out/data"

echo "== initial load of CRM, ERP and web shop into $out/db: learn the match model by EM, resolve in bulk"
"$c360" bulk-load --train --db "$out/db" \
  "crm:data/mappings/crm_contacts.map:$out/data/crm_contacts.csv" \
  "erp:data/mappings/erp_customers.map:$out/data/erp_customers.csv" \
  "webshop:data/mappings/webshop_accounts.map:$out/data/webshop_accounts.csv" \
  || [ $? -eq 3 ]  # 3 = some rows rejected

echo "== the social source, record by record (review tasks for uncertain matches)"
"$c360" ingest --db "$out/db" --source social \
  --mapping data/mappings/social_handles.map "$out/data/social_handles.csv" \
  || [ $? -eq 3 ]

echo "== match quality against the generator's truth"
"$c360" eval --db "$out/db" --truth "$out/data/truth.csv"

# Delivered when the records begin (2021), so that the models below may use
# the purchased values for every opportunity (only values delivered before
# an opportunity's date count).
echo "== purchased data: a company register and a consumer-data delivery"
"$c360" enrich import --db "$out/db" --provider register --kind company \
  --delivered 2021-01-01 \
  --mapping data/mappings/provider_company.map "$out/data/provider_company.csv"
"$c360" enrich import --db "$out/db" --provider consumer --kind person \
  --delivered 2021-01-01 \
  --mapping data/mappings/provider_person.map "$out/data/provider_person.csv"
echo "== consumer rows matched, against the generator's truth"
"$c360" enrich eval --db "$out/db" --provider consumer \
  --truth "$out/data/provider_truth.csv" --records-truth "$out/data/truth.csv"

echo "== sales opportunities of these people (customer = a record key)"
"$c360" ml import --db "$out/db" --csv "$out/data/opportunities.csv" \
  --mapping data/mappings/generated_opportunities.map
echo "== hit-rate models with profile columns (records per source, tenure, purchased ratings), then without, to compare"
"$c360" ml train --db "$out/db" --features data/ml_features.json
"$c360" ml train --db "$out/db" --features data/ml_features.json --without-profiles
"$c360" ml publish --db "$out/db" --stage creation 1 >/dev/null
"$c360" ml publish --db "$out/db" --stage offer 1 >/dev/null
"$c360" ml report --db "$out/db" --stage offer --html "$out/hit_rate_report.html" >/dev/null
echo "report with ROC, calibration and price-sweep plots: $out/hit_rate_report.html"
echo "== score the open pipeline: per opportunity and per customer (profiles show it)"
"$c360" ml score-open --db "$out/db"
# An open deal with an offer: its id, and a price range from above its cost
# to 1.5 times its price.
read -r open_id low high < <(awk -F, '$11 == "Engaging" && $9 != "" {
  low = ($5 * 1.2 > $4 * 0.8) ? $5 * 1.2 : $4 * 0.8
  printf "%s %d %d\n", $1, low, $4 * 1.5; exit}' "$out/data/opportunities.csv")
echo "== why opportunity $open_id scores as it does, and its price with a 5% commission"
"$c360" ml score --db "$out/db" "$open_id"
"$c360" ml whatif --db "$out/db" "$open_id" --from "$low" --to "$high" \
  --steps 6 --cost-share 0.05
echo "== expected value of the pipeline of customers with a good credit rating"
"$c360" ml forecast --db "$out/db" --by product \
  --customer-filter 'enrichment.credit_rating IN ("AA", "AAA")'

echo "== starting the server"
"$c360" serve --db "$out/db" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
  >"$out/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "serving on" "$out/serve.log" && break
  sleep 0.1
done
address=$(sed -n 's/^c360 serving on //p' "$out/serve.log")
[ -n "$address" ] || { cat "$out/serve.log"; exit 1; }
echo "server on $address"
sed -n 's/^c360 review page on /stewards review page: /p' "$out/serve.log"

# People present in all four sources make the most telling profiles.
mapfile -t crm_ids < <(awk -F, 'NR>1 {src[$3]=src[$3] " " $1; if ($1=="crm") id[$3]=$2}
  END {for (p in id) if (src[p] ~ /erp/ && src[p] ~ /webshop/ && src[p] ~ /social/) print id[p]}' \
  "$out/data/truth.csv" | sort | head -n 3)
for id in "${crm_ids[@]}"; do
  echo "== profile of CRM contact $id (over gRPC)"
  "$c360" profile --server "$address" --source crm --id "$id"
done

echo "== segment: Finnish profiles with a purchased industry code (over gRPC)"
segment='country = "FI" AND exists(enrichment.industry_code)'
"$c360" segment count --server "$address" "$segment"
"$c360" segment scan --server "$address" "$segment" --limit 3 \
  --fields name,organization,enrichment.industry_code,enrichment.employee_band,source
