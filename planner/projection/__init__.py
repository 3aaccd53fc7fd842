"""Leadership's questions: how many workers will a plan bring in, how sure are we, what
does it cost per worker, is it on track, what works, and what the plan measurably caused.

- ``simulate``: the interval arithmetic (outcome chance and the model's own uncertainty,
  by simulation over businesses weighted by their workers);
- ``uptake``: a plan's projection by month, province, regency, sector, segment and
  partner type; what it means for coverage, contributions and cost;
- ``actuals``: plan against actual, and what works by partner type and channel;
- ``lift``: control groups held back at publication, and the lift they measure;
- ``brief``: the PDF brief and the XLSX workbook.
"""
