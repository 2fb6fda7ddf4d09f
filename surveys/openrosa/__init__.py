"""OpenRosa: ODK Collect and KoboCollect as one more door onto the capture path and the one rule set.

xforms.py generates the forms from surveys.rules; media.py the pick lists; submissions.py reads an instance and hands it
to surveys.capture; auth.py checks the sender; views.py speaks the protocol.
"""
