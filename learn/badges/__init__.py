"""Signed credentials on the web: issuers' profiles, status lists, the public page of a
credential, the trainer's issuing and revoking, and the learner's passport."""
