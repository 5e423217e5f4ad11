"""05 report: the figures and tables to cite, each traceable to its data.

Takes the tables of 01-04; gives ``figures/figNN_*.{png,svg,csv}`` (:mod:`.figures`,
drawn in the fixed style of :mod:`.style`), the figure index, the provenance of
every headline number and the computed findings (:mod:`.citations`).
"""
