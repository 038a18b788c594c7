"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 19:26:44.863537
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



# The keyword index (FTS5, SQLite only), frozen as it was at this revision: see
# app/models/search_index.py for what it does. Later revisions that change it drop and recreate it.
SEARCH_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_docs', content_rowid='rowid', tokenize='trigram')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    'CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN INSERT INTO search_fts(rowid, body) VALUES (new.rowid, new.body); END',
    "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.rowid, old.body); END",
    "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.rowid, old.body); INSERT INTO search_fts(rowid, body) VALUES (new.rowid, new.body); END",
    "CREATE TRIGGER findings_search_ai AFTER INSERT ON findings BEGIN INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'finding', new.id, new.inspection_id, coalesce(new.title, '') || char(10) || coalesce(new.facts, '') || char(10) || coalesce(new.characterisation, '') || char(10) || coalesce(new.responsibility, '') || char(10) || coalesce(new.responsible_people, '') || '  ', substr(new.title, 1, 200) WHERE new.deleted_at IS NULL; END",
    "CREATE TRIGGER findings_search_au AFTER UPDATE OF title, facts, characterisation, responsibility, responsible_people, deleted_at, inspection_id ON findings BEGIN DELETE FROM search_docs WHERE entity_id = old.id; INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'finding', new.id, new.inspection_id, coalesce(new.title, '') || char(10) || coalesce(new.facts, '') || char(10) || coalesce(new.characterisation, '') || char(10) || coalesce(new.responsibility, '') || char(10) || coalesce(new.responsible_people, '') || '  ', substr(new.title, 1, 200) WHERE new.deleted_at IS NULL; END",
    'CREATE TRIGGER findings_search_ad AFTER DELETE ON findings BEGIN DELETE FROM search_docs WHERE entity_id = old.id; END',
    "CREATE TRIGGER interviews_search_ai AFTER INSERT ON interviews BEGIN INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'interview', new.id, new.inspection_id, coalesce(new.interviewee_name, '') || char(10) || coalesce(new.interviewee_post, '') || char(10) || coalesce(new.place, '') || char(10) || coalesce(new.summary, '') || char(10) || coalesce(new.transcript, '') || '  ', substr(new.interviewee_name, 1, 200) WHERE new.deleted_at IS NULL; END",
    "CREATE TRIGGER interviews_search_au AFTER UPDATE OF interviewee_name, interviewee_post, place, summary, transcript, deleted_at, inspection_id ON interviews BEGIN DELETE FROM search_docs WHERE entity_id = old.id; INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'interview', new.id, new.inspection_id, coalesce(new.interviewee_name, '') || char(10) || coalesce(new.interviewee_post, '') || char(10) || coalesce(new.place, '') || char(10) || coalesce(new.summary, '') || char(10) || coalesce(new.transcript, '') || '  ', substr(new.interviewee_name, 1, 200) WHERE new.deleted_at IS NULL; END",
    'CREATE TRIGGER interviews_search_ad AFTER DELETE ON interviews BEGIN DELETE FROM search_docs WHERE entity_id = old.id; END',
    "CREATE TRIGGER petitions_search_ai AFTER INSERT ON petitions BEGIN INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'petition', new.id, new.inspection_id, coalesce(new.subject_name, '') || char(10) || coalesce(new.subject_post, '') || char(10) || coalesce(new.reporter_name, '') || char(10) || coalesce(new.content, '') || char(10) || coalesce(new.handling, '') || '  ', substr(new.subject_name, 1, 200) WHERE new.deleted_at IS NULL; END",
    "CREATE TRIGGER petitions_search_au AFTER UPDATE OF subject_name, subject_post, reporter_name, content, handling, deleted_at, inspection_id ON petitions BEGIN DELETE FROM search_docs WHERE entity_id = old.id; INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'petition', new.id, new.inspection_id, coalesce(new.subject_name, '') || char(10) || coalesce(new.subject_post, '') || char(10) || coalesce(new.reporter_name, '') || char(10) || coalesce(new.content, '') || char(10) || coalesce(new.handling, '') || '  ', substr(new.subject_name, 1, 200) WHERE new.deleted_at IS NULL; END",
    'CREATE TRIGGER petitions_search_ad AFTER DELETE ON petitions BEGIN DELETE FROM search_docs WHERE entity_id = old.id; END',
    "CREATE TRIGGER document_reviews_search_ai AFTER INSERT ON document_reviews BEGIN INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'document_review', new.id, new.inspection_id, coalesce(new.title, '') || char(10) || coalesce(new.material_kind, '') || char(10) || coalesce(new.period, '') || char(10) || coalesce(new.notes, '') || '  ', substr(new.title, 1, 200) WHERE new.deleted_at IS NULL; END",
    "CREATE TRIGGER document_reviews_search_au AFTER UPDATE OF title, material_kind, period, notes, deleted_at, inspection_id ON document_reviews BEGIN DELETE FROM search_docs WHERE entity_id = old.id; INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'document_review', new.id, new.inspection_id, coalesce(new.title, '') || char(10) || coalesce(new.material_kind, '') || char(10) || coalesce(new.period, '') || char(10) || coalesce(new.notes, '') || '  ', substr(new.title, 1, 200) WHERE new.deleted_at IS NULL; END",
    'CREATE TRIGGER document_reviews_search_ad AFTER DELETE ON document_reviews BEGIN DELETE FROM search_docs WHERE entity_id = old.id; END',
    "CREATE TRIGGER visits_search_ai AFTER INSERT ON visits BEGIN INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'visit', new.id, new.inspection_id, coalesce(new.place, '') || char(10) || coalesce(new.people_met, '') || char(10) || coalesce(new.content, '') || '  ', substr(new.place, 1, 200) WHERE new.deleted_at IS NULL; END",
    "CREATE TRIGGER visits_search_au AFTER UPDATE OF place, people_met, content, deleted_at, inspection_id ON visits BEGIN DELETE FROM search_docs WHERE entity_id = old.id; INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) SELECT 'visit', new.id, new.inspection_id, coalesce(new.place, '') || char(10) || coalesce(new.people_met, '') || char(10) || coalesce(new.content, '') || '  ', substr(new.place, 1, 200) WHERE new.deleted_at IS NULL; END",
    'CREATE TRIGGER visits_search_ad AFTER DELETE ON visits BEGIN DELETE FROM search_docs WHERE entity_id = old.id; END',
]
SEARCH_DROP = [
    'DROP TRIGGER IF EXISTS findings_search_ai',
    'DROP TRIGGER IF EXISTS findings_search_au',
    'DROP TRIGGER IF EXISTS findings_search_ad',
    'DROP TRIGGER IF EXISTS interviews_search_ai',
    'DROP TRIGGER IF EXISTS interviews_search_au',
    'DROP TRIGGER IF EXISTS interviews_search_ad',
    'DROP TRIGGER IF EXISTS petitions_search_ai',
    'DROP TRIGGER IF EXISTS petitions_search_au',
    'DROP TRIGGER IF EXISTS petitions_search_ad',
    'DROP TRIGGER IF EXISTS document_reviews_search_ai',
    'DROP TRIGGER IF EXISTS document_reviews_search_au',
    'DROP TRIGGER IF EXISTS document_reviews_search_ad',
    'DROP TRIGGER IF EXISTS visits_search_ai',
    'DROP TRIGGER IF EXISTS visits_search_au',
    'DROP TRIGGER IF EXISTS visits_search_ad',
    'DROP TRIGGER IF EXISTS search_docs_ai',
    'DROP TRIGGER IF EXISTS search_docs_ad',
    'DROP TRIGGER IF EXISTS search_docs_au',
    'DROP TABLE IF EXISTS search_fts_vocab',
    'DROP TABLE IF EXISTS search_fts',
]

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('attachment_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_attachment_blobs'))
    )
    op.create_table('checklist_templates',
    sa.Column('list_kind', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_templates'))
    )
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_templates_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_templates_list_kind'), ['list_kind'], unique=False)

    op.create_table('document_sequences',
    sa.Column('issuer_code', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('issuer_code', 'year', name=op.f('pk_document_sequences'))
    )
    op.create_table('inspection_rounds',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_rounds'))
    )
    with op.batch_alter_table('inspection_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_rounds_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_rounds_year'), ['year'], unique=False)

    op.create_table('reference_items',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_items'))
    )
    with op.batch_alter_table('reference_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_items_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_items_kind'), ['kind'], unique=False)

    op.create_table('search_docs',
    sa.Column('rowid', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('inspection_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('rowid', name=op.f('pk_search_docs')),
    sa.UniqueConstraint('entity_id', name=op.f('uq_search_docs_entity_id'))
    )
    with op.batch_alter_table('search_docs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_docs_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('units',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('attachments',
    sa.Column('owner_kind', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['sha256'], ['attachment_blobs.sha256'], name=op.f('fk_attachments_sha256_attachment_blobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('checklist_template_items',
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_template_items_template_id_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template_items'))
    )
    with op.batch_alter_table('checklist_template_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_template_items_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_template_items_template_id'), ['template_id'], unique=False)

    op.create_table('inspections',
    sa.Column('round_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('team_name', sa.String(length=60), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('feedback_date', sa.Date(), nullable=True),
    sa.Column('announcement_phone', sa.String(length=40), nullable=True),
    sa.Column('announcement_mailbox', sa.String(length=200), nullable=True),
    sa.Column('announcement_address', sa.String(length=200), nullable=True),
    sa.Column('announcement_email', sa.String(length=120), nullable=True),
    sa.Column('follows_inspection_id', sa.Uuid(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['follows_inspection_id'], ['inspections.id'], name=op.f('fk_inspections_follows_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['round_id'], ['inspection_rounds.id'], name=op.f('fk_inspections_round_id_inspection_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspections'))
    )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_round_id'), ['round_id'], unique=False)

    op.create_table('inspectors',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=True),
    sa.Column('home_unit_id', sa.Uuid(), nullable=True),
    sa.Column('home_unit_name', sa.String(length=200), nullable=True),
    sa.Column('post', sa.String(length=120), nullable=True),
    sa.Column('rank', sa.String(length=60), nullable=True),
    sa.Column('expertise', sa.JSON(), nullable=False),
    sa.Column('in_leader_pool', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['home_unit_id'], ['units.id'], name=op.f('fk_inspectors_home_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspectors'))
    )
    with op.batch_alter_table('inspectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspectors_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspectors_home_unit_id'), ['home_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspectors_name'), ['name'], unique=False)

    op.create_table('unit_people',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=True),
    sa.Column('post', sa.String(length=120), nullable=True),
    sa.Column('rank', sa.String(length=60), nullable=True),
    sa.Column('is_principal', sa.Boolean(), nullable=False),
    sa.Column('is_leadership_member', sa.Boolean(), nullable=False),
    sa.Column('is_key_post', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_people_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_people'))
    )
    with op.batch_alter_table('unit_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_people_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_people_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_people_unit_id'), ['unit_id'], unique=False)

    op.create_table('checklist_items',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('template_item_id', sa.Uuid(), nullable=True),
    sa.Column('list_kind', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('done_by', sa.Uuid(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_checklist_items_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['template_item_id'], ['checklist_template_items.id'], name=op.f('fk_checklist_items_template_item_id_checklist_template_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items'))
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_items_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('document_reviews',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('material_kind', sa.String(length=60), nullable=True),
    sa.Column('period', sa.String(length=60), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('reviewer_ids', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_document_reviews_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_reviews_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_reviews'))
    )
    with op.batch_alter_table('document_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_reviews_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reviews_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reviews_unit_id'), ['unit_id'], unique=False)

    op.create_table('findings',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('characterisation', sa.Text(), nullable=True),
    sa.Column('responsibility', sa.Text(), nullable=True),
    sa.Column('category_code', sa.String(length=40), nullable=True),
    sa.Column('discipline_code', sa.String(length=40), nullable=True),
    sa.Column('severity', sa.String(length=40), nullable=False),
    sa.Column('source_kind', sa.String(length=40), nullable=True),
    sa.Column('source_id', sa.Uuid(), nullable=True),
    sa.Column('responsible_people', sa.String(length=400), nullable=True),
    sa.Column('responsible_person_ids', sa.JSON(), nullable=False),
    sa.Column('handler_id', sa.Uuid(), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('review_state', sa.String(length=40), nullable=False),
    sa.Column('disposition_code', sa.String(length=40), nullable=True),
    sa.Column('four_form', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['inspectors.id'], name=op.f('fk_findings_assignee_id_inspectors')),
    sa.ForeignKeyConstraint(['handler_id'], ['inspectors.id'], name=op.f('fk_findings_handler_id_inspectors')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_findings_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_findings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_category_code'), ['category_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_discipline_code'), ['discipline_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_disposition_code'), ['disposition_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_four_form'), ['four_form'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_review_state'), ['review_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspection_units',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_inspection_units_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_units_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_units'))
    )
    with op.batch_alter_table('inspection_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_units_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_units_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('inspector_relations',
    sa.Column('inspector_id', sa.Uuid(), nullable=False),
    sa.Column('relation_kind', sa.String(length=40), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('person_name', sa.String(length=60), nullable=True),
    sa.Column('relationship', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspectors.id'], name=op.f('fk_inspector_relations_inspector_id_inspectors')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspector_relations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspector_relations'))
    )
    with op.batch_alter_table('inspector_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspector_relations_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspector_relations_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspector_relations_unit_id'), ['unit_id'], unique=False)

    op.create_table('interviews',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('start_at', sa.DateTime(), nullable=False),
    sa.Column('end_at', sa.DateTime(), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('interviewer_ids', sa.JSON(), nullable=False),
    sa.Column('recorder_id', sa.Uuid(), nullable=True),
    sa.Column('interviewee_person_id', sa.Uuid(), nullable=True),
    sa.Column('interviewee_name', sa.String(length=60), nullable=False),
    sa.Column('interviewee_post', sa.String(length=120), nullable=True),
    sa.Column('talk_category', sa.String(length=40), nullable=True),
    sa.Column('topics_asked', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('transcript', sa.Text(), nullable=True),
    sa.Column('signed_by_interviewee', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_interviews_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['interviewee_person_id'], ['unit_people.id'], name=op.f('fk_interviews_interviewee_person_id_unit_people')),
    sa.ForeignKeyConstraint(['recorder_id'], ['inspectors.id'], name=op.f('fk_interviews_recorder_id_inspectors')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_interviews_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_unit_id'), ['unit_id'], unique=False)

    op.create_table('issued_documents',
    sa.Column('inspection_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('issuer_code', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('number_text', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.Uuid(), nullable=True),
    sa.Column('attachment_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_issued_documents_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_issued_documents_inspection_id_inspections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_documents'))
    )
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_documents_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_documents_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_documents_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_documents_number_text'), ['number_text'], unique=False)

    op.create_table('petitions',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('reporter_name', sa.String(length=60), nullable=True),
    sa.Column('reporter_contact', sa.String(length=120), nullable=True),
    sa.Column('subject_name', sa.String(length=60), nullable=True),
    sa.Column('subject_post', sa.String(length=120), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_petitions_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_petitions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_unit_id'), ['unit_id'], unique=False)

    op.create_table('users',
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('inspector_id', sa.Uuid(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspectors.id'], name=op.f('fk_users_inspector_id_inspectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_username'), ['username'], unique=False)

    op.create_table('visits',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('visited_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('visitor_ids', sa.JSON(), nullable=False),
    sa.Column('people_met', sa.Text(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_visits_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_visits_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_unit_id'), ['unit_id'], unique=False)

    op.create_table('checklist_links',
    sa.Column('checklist_item_id', sa.Uuid(), nullable=False),
    sa.Column('target_kind', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['checklist_item_id'], ['checklist_items.id'], name=op.f('fk_checklist_links_checklist_item_id_checklist_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_links'))
    )
    with op.batch_alter_table('checklist_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_links_checklist_item_id'), ['checklist_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_links_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_links_target_id'), ['target_id'], unique=False)

    op.create_table('clues',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('finding_id', sa.Uuid(), nullable=True),
    sa.Column('subject_name', sa.String(length=60), nullable=False),
    sa.Column('subject_post', sa.String(length=120), nullable=True),
    sa.Column('subject_rank', sa.String(length=60), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('handed_to', sa.String(length=120), nullable=True),
    sa.Column('handed_over_on', sa.Date(), nullable=True),
    sa.Column('transfer_document_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_clues_finding_id_findings')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_clues_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['transfer_document_id'], ['issued_documents.id'], name=op.f('fk_clues_transfer_document_id_issued_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clues'))
    )
    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clues_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_status'), ['status'], unique=False)

    op.create_table('finding_reviews',
    sa.Column('finding_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=False),
    sa.Column('to_state', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sa.String(length=60), nullable=True),
    sa.Column('acted_at', sa.DateTime(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_finding_reviews_finding_id_findings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_reviews'))
    )
    with op.batch_alter_table('finding_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_reviews_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_reviews_finding_id'), ['finding_id'], unique=False)

    op.create_table('rectifications',
    sa.Column('finding_id', sa.Uuid(), nullable=False),
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('responsible_person', sa.String(length=60), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_by', sa.Uuid(), nullable=True),
    sa.Column('carried_from_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['carried_from_id'], ['rectifications.id'], name=op.f('fk_rectifications_carried_from_id_rectifications')),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_rectifications_finding_id_findings')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_rectifications_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_rectifications_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectifications'))
    )
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectifications_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectifications_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectifications_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectifications_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectifications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectifications_unit_id'), ['unit_id'], unique=False)

    op.create_table('team_assignments',
    sa.Column('inspection_id', sa.Uuid(), nullable=False),
    sa.Column('inspector_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('authorisation_document_id', sa.Uuid(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['authorisation_document_id'], ['issued_documents.id'], name=op.f('fk_team_assignments_authorisation_document_id_issued_documents')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_team_assignments_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspectors.id'], name=op.f('fk_team_assignments_inspector_id_inspectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_assignments'))
    )
    with op.batch_alter_table('team_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_assignments_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_assignments_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_assignments_inspector_id'), ['inspector_id'], unique=False)

    op.create_table('clue_outcomes',
    sa.Column('clue_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('four_form', sa.String(length=40), nullable=True),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['clue_id'], ['clues.id'], name=op.f('fk_clue_outcomes_clue_id_clues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clue_outcomes'))
    )
    with op.batch_alter_table('clue_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clue_outcomes_clue_id'), ['clue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clue_outcomes_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clue_outcomes_kind'), ['kind'], unique=False)

    # ### end Alembic commands ###
    if op.get_bind().dialect.name == "sqlite":
        for statement in SEARCH_DDL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SEARCH_DROP:
            op.execute(statement)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('clue_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clue_outcomes_kind'))
        batch_op.drop_index(batch_op.f('ix_clue_outcomes_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_clue_outcomes_clue_id'))

    op.drop_table('clue_outcomes')
    with op.batch_alter_table('team_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_assignments_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_team_assignments_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_team_assignments_deleted_at'))

    op.drop_table('team_assignments')
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectifications_unit_id'))
        batch_op.drop_index(batch_op.f('ix_rectifications_status'))
        batch_op.drop_index(batch_op.f('ix_rectifications_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_rectifications_finding_id'))
        batch_op.drop_index(batch_op.f('ix_rectifications_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_rectifications_deadline'))

    op.drop_table('rectifications')
    with op.batch_alter_table('finding_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_reviews_finding_id'))
        batch_op.drop_index(batch_op.f('ix_finding_reviews_deleted_at'))

    op.drop_table('finding_reviews')
    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clues_status'))
        batch_op.drop_index(batch_op.f('ix_clues_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_clues_finding_id'))
        batch_op.drop_index(batch_op.f('ix_clues_deleted_at'))

    op.drop_table('clues')
    with op.batch_alter_table('checklist_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_links_target_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_links_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_checklist_links_checklist_item_id'))

    op.drop_table('checklist_links')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_unit_id'))
        batch_op.drop_index(batch_op.f('ix_visits_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_visits_deleted_at'))

    op.drop_table('visits')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_username'))
        batch_op.drop_index(batch_op.f('ix_users_deleted_at'))

    op.drop_table('users')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_petitions_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_petitions_deleted_at'))

    op.drop_table('petitions')
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_documents_number_text'))
        batch_op.drop_index(batch_op.f('ix_issued_documents_kind'))
        batch_op.drop_index(batch_op.f('ix_issued_documents_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_issued_documents_deleted_at'))

    op.drop_table('issued_documents')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_unit_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_deleted_at'))

    op.drop_table('interviews')
    with op.batch_alter_table('inspector_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspector_relations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_inspector_relations_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_inspector_relations_deleted_at'))

    op.drop_table('inspector_relations')
    with op.batch_alter_table('inspection_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_units_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_units_deleted_at'))

    op.drop_table('inspection_units')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_unit_id'))
        batch_op.drop_index(batch_op.f('ix_findings_status'))
        batch_op.drop_index(batch_op.f('ix_findings_source_id'))
        batch_op.drop_index(batch_op.f('ix_findings_review_state'))
        batch_op.drop_index(batch_op.f('ix_findings_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_findings_handler_id'))
        batch_op.drop_index(batch_op.f('ix_findings_four_form'))
        batch_op.drop_index(batch_op.f('ix_findings_disposition_code'))
        batch_op.drop_index(batch_op.f('ix_findings_discipline_code'))
        batch_op.drop_index(batch_op.f('ix_findings_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_findings_category_code'))
        batch_op.drop_index(batch_op.f('ix_findings_assignee_id'))

    op.drop_table('findings')
    with op.batch_alter_table('document_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_reviews_unit_id'))
        batch_op.drop_index(batch_op.f('ix_document_reviews_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_document_reviews_deleted_at'))

    op.drop_table('document_reviews')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_items_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_items_deleted_at'))

    op.drop_table('checklist_items')
    with op.batch_alter_table('unit_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_people_unit_id'))
        batch_op.drop_index(batch_op.f('ix_unit_people_name'))
        batch_op.drop_index(batch_op.f('ix_unit_people_deleted_at'))

    op.drop_table('unit_people')
    with op.batch_alter_table('inspectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspectors_name'))
        batch_op.drop_index(batch_op.f('ix_inspectors_home_unit_id'))
        batch_op.drop_index(batch_op.f('ix_inspectors_deleted_at'))

    op.drop_table('inspectors')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspections_round_id'))
        batch_op.drop_index(batch_op.f('ix_inspections_deleted_at'))

    op.drop_table('inspections')
    with op.batch_alter_table('checklist_template_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_items_template_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_template_items_deleted_at'))

    op.drop_table('checklist_template_items')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_owner_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_deleted_at'))

    op.drop_table('attachments')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_parent_id'))
        batch_op.drop_index(batch_op.f('ix_units_name'))
        batch_op.drop_index(batch_op.f('ix_units_deleted_at'))

    op.drop_table('units')
    op.drop_table('settings')
    with op.batch_alter_table('search_docs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_docs_inspection_id'))

    op.drop_table('search_docs')
    with op.batch_alter_table('reference_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_items_kind'))
        batch_op.drop_index(batch_op.f('ix_reference_items_deleted_at'))

    op.drop_table('reference_items')
    with op.batch_alter_table('inspection_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_rounds_year'))
        batch_op.drop_index(batch_op.f('ix_inspection_rounds_deleted_at'))

    op.drop_table('inspection_rounds')
    op.drop_table('document_sequences')
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_templates_list_kind'))
        batch_op.drop_index(batch_op.f('ix_checklist_templates_deleted_at'))

    op.drop_table('checklist_templates')
    op.drop_table('attachment_blobs')
    # ### end Alembic commands ###
