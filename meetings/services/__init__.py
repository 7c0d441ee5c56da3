"""Writes of the meetings app, each one transaction with an audit entry:

* ``meeting`` — scheduling a meeting, inviting, recording attendance, cancelling, entering a
  decision of the body into its minutes;
* ``agenda`` — agenda items added to a meeting (what each decides), the minutes' text of an item,
  the programme of an assembly of voters;
* ``minutes`` — the minutes signed by the chair and the secretary, then rendered as signed PDFs.
"""
