"""stories and linked events (cross-article stage)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stories',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('first_published', sa.String(length=40), nullable=True),
    sa.Column('last_published', sa.String(length=40), nullable=True),
    sa.Column('n_articles', sa.Integer(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('pipeline_version', sa.String(length=64), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories'))
    )
    op.create_index('ix_stories_last_published', 'stories', ['last_published'], unique=False)
    op.create_table('story_articles',
    sa.Column('story_id', sa.String(length=32), nullable=False),
    sa.Column('article_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_story_articles_article_id_articles'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_articles_story_id_stories'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'article_id', name=op.f('pk_story_articles'))
    )
    op.create_index(op.f('ix_story_articles_article_id'), 'story_articles', ['article_id'], unique=False)
    op.create_table('linked_events',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('story_id', sa.String(length=32), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('date_sort', sa.String(length=32), nullable=True),
    sa.Column('n_reports', sa.Integer(), nullable=False),
    sa.Column('n_outlets', sa.Integer(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('pipeline_version', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_linked_events_story_id_stories'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_events'))
    )
    op.create_index('ix_linked_events_date_sort', 'linked_events', ['date_sort'], unique=False)
    op.create_index(op.f('ix_linked_events_story_id'), 'linked_events', ['story_id'], unique=False)
    op.create_table('linked_event_reports',
    sa.Column('linked_event_id', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.String(length=160), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_linked_event_reports_event_id_events'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_event_id'], ['linked_events.id'],
                            name=op.f('fk_linked_event_reports_linked_event_id_linked_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('linked_event_id', 'event_id', name=op.f('pk_linked_event_reports'))
    )
    op.create_index(op.f('ix_linked_event_reports_event_id'), 'linked_event_reports', ['event_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_linked_event_reports_event_id'), table_name='linked_event_reports')
    op.drop_table('linked_event_reports')
    op.drop_index(op.f('ix_linked_events_story_id'), table_name='linked_events')
    op.drop_index('ix_linked_events_date_sort', table_name='linked_events')
    op.drop_table('linked_events')
    op.drop_index(op.f('ix_story_articles_article_id'), table_name='story_articles')
    op.drop_table('story_articles')
    op.drop_index('ix_stories_last_published', table_name='stories')
    op.drop_table('stories')
