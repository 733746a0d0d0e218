"""Showing an answer: one format dispatch, tables for people, plain text, data and citation formats."""
